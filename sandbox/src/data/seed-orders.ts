/**
 * Orders over the last 90 days with one to four items each, in four payment states (paid,
 * unpaid, partly paid, refunded), plus the payment transactions that explain their totals.
 * Optional fields are real nulls, as Keap sends them.
 */
import { DAY_MS, formatLocalDate } from './dates.js';
import type {
  CompanyRecord,
  ContactRecord,
  OrderItemRecord,
  OrderRecord,
  ProductRecord,
  TransactionRecord,
} from './models.js';
import { createRandom, type Random } from './random.js';
import {
  numberByDate,
  pastTime,
  phoneNumber,
  timeBetween,
  type SeedInput,
} from './seed-support.js';

export const ORDER_COUNT = 120;

type PaymentState = 'paid' | 'unpaid' | 'partial' | 'refunded';
const STATES: readonly PaymentState[] = [
  'paid', 'paid', 'paid', 'paid', 'paid', 'unpaid', 'unpaid', 'partial', 'partial', 'refunded',
];

export interface OrderSeedRefs {
  contacts: readonly ContactRecord[];
  companies: readonly CompanyRecord[];
  products: readonly ProductRecord[];
}

export interface SeededOrders {
  orders: OrderRecord[];
  transactions: TransactionRecord[];
}

export function seedOrders(input: SeedInput, refs: OrderSeedRefs): SeededOrders {
  const random = createRandom(input.seed, 'orders');
  const drafts = Array.from({ length: ORDER_COUNT }, () => draft(random, input.anchor, refs));
  numberByDate(drafts, (row) => row.order.creation_date);

  let itemId = 1;
  for (const row of drafts) {
    row.order.id = row.id;
    for (const item of row.order.order_items) item.id = itemId++;
  }

  const transactions = seedTransactions(input, drafts);
  return { orders: drafts.map((row) => row.order), transactions };
}

interface Draft {
  id: number;
  order: OrderRecord;
  state: PaymentState;
}

function draft(random: Random, anchor: number, refs: OrderSeedRefs): Draft {
  const created = pastTime(random, anchor, 90);
  const buyer = buyerBefore(random, refs.contacts, created);
  const items = orderItems(random, refs.products);
  const total = cents(items.reduce((sum, item) => sum + lineTotal(item), 0));
  const state = random.pick(STATES);
  const paid = amountPaid(random, state, total);
  const refund = state === 'refunded' ? (random.chance(0.5) ? total : cents(total / 2)) : 0;
  // Payments and refunds after the order was placed move its modification date.
  const changedLater = state === 'refunded' || (state !== 'unpaid' && random.chance(0.5));
  const lastChange = Math.min(anchor, created + 20 * DAY_MS);
  const firstItem = items[0]?.name ?? 'Order';
  const hasPlan = (state === 'partial' || state === 'unpaid') && random.chance(0.25);
  const shippable = items.some((item) => item.product?.shippable);

  const order: OrderRecord = {
    id: 0,
    title: `${firstItem} - ${buyer.given_name ?? ''} ${buyer.family_name ?? ''}`.trim(),
    status: total - paid > 0 ? 'UNPAID' : 'PAID',
    recurring: items.some((item) => isSubscription(item, refs)),
    total,
    total_paid: paid,
    total_due: cents(total - paid),
    refund_total: refund,
    allow_payment: total - paid > 0,
    order_type: random.chance(0.7) ? 'Online' : 'Offline',
    order_date: random.chance(0.8) ? created : created - random.int(1, 3) * DAY_MS,
    creation_date: created,
    modification_date: changedLater ? timeBetween(random, created, lastChange) : created,
    notes: random.chance(0.15) ? 'Customer asked for a gift receipt.' : null,
    terms: random.chance(0.1) ? 'Due on receipt' : null,
    lead_affiliate_id: random.chance(0.15) ? random.int(1, 3) : null,
    sales_affiliate_id: random.chance(0.1) ? random.int(1, 3) : null,
    contact: {
      id: buyer.id,
      first_name: buyer.given_name,
      last_name: buyer.family_name,
      email: buyer.email_addresses[0]?.email ?? null,
      company_name: refs.companies.find((c) => c.id === buyer.company_id)?.company_name ?? null,
      job_title: buyer.job_title,
    },
    order_items: items,
    shipping_information: shippable ? shipping(random, buyer) : null,
    payment_plan: hasPlan ? paymentPlan(random, total, created) : null,
  };
  return { id: 0, order, state };
}

function lineTotal(item: OrderItemRecord): number {
  return item.price * item.quantity - item.discount;
}

function amountPaid(random: Random, state: PaymentState, total: number): number {
  if (state === 'unpaid') return 0;
  if (state === 'partial') return cents((total * random.int(20, 70)) / 100);
  return total;
}

/** A contact that already existed when the order was placed (contacts are sorted by date). */
function buyerBefore(random: Random, contacts: readonly ContactRecord[], time: number) {
  const existing = contacts.filter((contact) => contact.date_created <= time);
  return random.pick(existing.length > 0 ? existing : contacts);
}

function orderItems(random: Random, products: readonly ProductRecord[]): OrderItemRecord[] {
  const count = random.int(1, 4);
  const chosen = new Set<ProductRecord>();
  while (chosen.size < count) chosen.add(random.pick(products));

  return [...chosen].map((product) => {
    const price = product.subscription_plans[0]?.plan_price ?? product.product_price;
    return {
      id: 0,
      name: product.product_name,
      description: product.product_short_desc,
      notes: null,
      type: 'Product',
      quantity: random.chance(0.8) ? 1 : random.int(2, 3),
      price,
      cost: cents(price * 0.4),
      discount: random.chance(0.1) ? cents(price * 0.1) : 0,
      product: {
        id: product.id,
        name: product.product_name,
        description: product.product_short_desc,
        sku: product.sku,
        shippable: product.shippable,
        taxable: product.taxable,
      },
    };
  });
}

function isSubscription(item: OrderItemRecord, refs: OrderSeedRefs): boolean {
  return refs.products.some((p) => p.id === item.product?.id && p.subscription_only);
}

function shipping(random: Random, buyer: ContactRecord): OrderRecord['shipping_information'] {
  const address = buyer.addresses[0];
  return {
    first_name: buyer.given_name,
    middle_name: buyer.middle_name,
    last_name: buyer.family_name,
    company: null,
    phone: buyer.phone_numbers[0]?.number ?? phoneNumber(random),
    line1: address?.line1 ?? `${random.int(10, 999)} Main St`,
    line2: address?.line2 ?? null,
    locality: address?.locality ?? 'Phoenix',
    region: address?.region ?? 'Arizona',
    zip_code: address?.zip_code ?? '85004',
    zip_four: address?.zip_four ?? null,
    country_code: 'USA',
  };
}

function paymentPlan(random: Random, total: number, created: number): OrderRecord['payment_plan'] {
  const payments = random.int(2, 4);
  return {
    auto_charge: true,
    credit_card_id: random.int(1, 40),
    days_between_payments: 30,
    number_of_payments: payments,
    initial_payment_amount: cents(total / payments),
    initial_payment_date: formatLocalDate(created),
    plan_start_date: formatLocalDate(created),
    payment_gateway: { merchant_account_id: 1, use_default: true },
  };
}

/** Transactions that account for each order's paid and refunded amounts, plus some declines. */
function seedTransactions(input: SeedInput, drafts: readonly Draft[]): TransactionRecord[] {
  const random = createRandom(input.seed, 'transactions');
  const rows: TransactionRecord[] = [];
  const add = (order: OrderRecord, amount: number, fields: Partial<TransactionRecord>) => {
    const test = random.chance(0.08);
    rows.push({
      id: 0,
      amount,
      currency: 'USD',
      status: 'Approved',
      type: 'Sale',
      collection_method: order.order_type === 'Online' ? 'Online' : 'Manual',
      gateway: test ? 'Test' : 'Stripe',
      gateway_account_name: test ? 'Test Merchant' : 'Keap Payments',
      test,
      contact_id: order.contact.id,
      order_ids: [order.id],
      errors: null,
      transaction_date: order.creation_date,
      ...fields,
    });
  };

  for (const { order, state } of drafts) {
    if (state === 'unpaid' && random.chance(0.3)) {
      add(order, order.total, { status: 'Declined', errors: 'The card was declined.' });
    }
    // A refund is the order's last change; other payments land when the order last changed.
    const paidAt = state === 'refunded' ? order.creation_date : order.modification_date;
    if (order.total_paid > 0) add(order, order.total_paid, { transaction_date: paidAt });
    if (order.refund_total > 0) {
      const refund = { type: 'Refund', transaction_date: order.modification_date } as const;
      add(order, -order.refund_total, refund);
    }
  }
  return numberByDate(rows, (row) => row.transaction_date);
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
