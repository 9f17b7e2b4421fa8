/** Stand-in tenant data, deterministic per seed and anchor (see `dates.ts`). */
import type {
  CompanyRecord,
  ContactRecord,
  CycleType,
  OrderRecord,
  ProductRecord,
  TransactionRecord,
} from './models.js';

export const TENANT = 'ab123.infusionsoft.com';

const DAY_MS = 86_400_000;

/** Records by id, in id order. */
export class Table<T extends { id: number }> {
  private readonly rows = new Map<number, T>();

  constructor(rows: T[]) {
    for (const row of rows) this.rows.set(row.id, row);
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: number): T | undefined {
    return this.rows.get(id);
  }

  all(): T[] {
    return [...this.rows.values()];
  }

  /** Builds a row around the next free id (ids are never reused) and stores it. */
  insert(build: (id: number) => T): T {
    const row = build(Math.max(0, ...this.rows.keys(), this.highest) + 1);
    this.highest = Math.max(this.highest, row.id);
    this.rows.set(row.id, row);
    return row;
  }

  /** Replaces the stored row with the same id. */
  put(row: T): T {
    this.rows.set(row.id, row);
    return row;
  }

  delete(id: number): boolean {
    return this.rows.delete(id);
  }

  private highest = 0;
}

export interface Dataset {
  contacts: Table<ContactRecord>;
  companies: Table<CompanyRecord>;
  products: Table<ProductRecord>;
  orders: Table<OrderRecord>;
  transactions: Table<TransactionRecord>;
  productRevision: number;
}

export interface SeedInput {
  seed: number;
  anchor: number;
}

const GIVEN = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'June'];
const FAMILY = ['Adler', 'Brook', 'Cruz', 'Dunn', 'Ellis', 'Ford', 'Gray', 'Hale', 'Ives', 'Joyce'];
const CYCLES: CycleType[] = ['YEAR', 'MONTH', 'WEEK', 'DAY'];

export function generateDataset(input: SeedInput): Dataset {
  const random = mulberry32(input.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const past = (days: number) => input.anchor - Math.floor(random() * days * DAY_MS);
  const money = (max: number) => Math.round(random() * max * 100) / 100;

  const companies = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, company_name: `Company ${i + 1}` }));
  const contacts = Array.from({ length: 200 }, (_, i): ContactRecord => {
    const created = past(90);
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    return {
      id: i + 1,
      given_name: given,
      family_name: family,
      middle_name: null,
      preferred_name: null,
      prefix: null,
      suffix: null,
      job_title: null,
      lead_source_id: null,
      company_id: random() < 0.5 ? pick(companies).id : null,
      owner_id: null,
      contact_type: 'Lead',
      source_type: 'API',
      origin: null,
      opt_in_reason: null,
      email_opted_in: random() < 0.5,
      email_status: 'UnengagedMarketable',
      score_value: String(Math.floor(random() * 100)),
      date_created: created,
      last_updated: created + Math.floor(random() * (input.anchor - created)),
      birthday: null,
      anniversary: null,
      spouse_name: null,
      time_zone: null,
      preferred_locale: null,
      website: null,
      tags: [],
      custom_fields: [],
      email_addresses: [{ email: `${given}.${family}.${i + 1}@example.com`.toLowerCase(), field: 'EMAIL1' }],
      addresses: [],
      phone_numbers: [],
      fax_numbers: [],
    };
  });
  const products = Array.from({ length: 30 }, (_, i): ProductRecord => ({
    id: i + 1,
    product_name: `Product ${i + 1}`,
    product_desc: null,
    product_short_desc: null,
    product_price: money(200),
    sku: `SKU-${i + 1}`,
    url: null,
    active: random() < 0.8,
    sub_category_id: 0,
    subscription_only: false,
    subscription_plans:
      i % 5 === 0
        ? [{ id: i + 1, subscription_plan_name: `Plan ${i + 1}`, subscription_plan_index: 0, cycle_type: pick(CYCLES), frequency: 1, number_of_cycles: 0, plan_price: money(50), active: true, url: null }]
        : [],
  }));

  const transactions: TransactionRecord[] = [];
  const orders = Array.from({ length: 120 }, (_, i): OrderRecord => {
    const id = i + 1;
    const contact = pick(contacts);
    const product = pick(products);
    const quantity = 1 + Math.floor(random() * 3);
    const total = Math.round(product.product_price * quantity * 100) / 100;
    const created = past(90);
    const paid = random() < 0.6 ? total : 0;
    const refunded = paid > 0 && random() < 0.1 ? Math.round(paid * 50) / 100 : 0;
    if (paid > 0) transactions.push(tx(transactions.length + 1, 'Sale', paid, id, created));
    if (refunded > 0) transactions.push(tx(transactions.length + 1, 'Refund', -refunded, id, created));
    return {
      id,
      title: `Order ${id}`,
      status: paid >= total ? 'PAID' : 'UNPAID',
      recurring: false,
      total,
      total_paid: paid,
      total_due: Math.round((total - paid) * 100) / 100,
      refund_total: refunded,
      allow_payment: true,
      order_date: created,
      creation_date: created,
      modification_date: created + Math.floor(random() * (input.anchor - created)),
      notes: null,
      terms: null,
      lead_affiliate_id: null,
      sales_affiliate_id: null,
      contact: {
        id: contact.id,
        email: contact.email_addresses[0]?.email ?? '',
        first_name: contact.given_name,
        last_name: contact.family_name,
      },
      order_items: [
        {
          id,
          name: product.product_name,
          description: null,
          type: 'Product',
          notes: null,
          quantity,
          cost: null,
          price: product.product_price,
          discount: null,
          product: { id: product.id, name: product.product_name, sku: product.sku },
        },
      ],
      shipping_information: null,
      payment_plan: null,
    };
  });

  return {
    contacts: new Table(contacts),
    companies: new Table(companies),
    products: new Table(products),
    orders: new Table(orders),
    transactions: new Table(transactions),
    productRevision: 1,
  };
}

function tx(id: number, type: 'Sale' | 'Refund', amount: number, orderId: number, date: number): TransactionRecord {
  return { id, type, status: 'Approved', amount, order_ids: [orderId], transaction_date: date };
}

/** A small seeded generator, so the same seed always gives the same tenant. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
