/**
 * Order writes: `POST /orders`, `DELETE /orders/{id}`, items (`POST /orders/{id}/items`,
 * `DELETE /orders/{id}/items/{itemId}`) and manual payments (`POST /orders/{id}/payments`).
 * Every write recomputes the totals and moves `modification_date`, so pollers filtering on
 * it (`since`) see the change.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { OrderItemRecord, OrderRecord } from '../data/models.js';
import { badRequest } from '../errors.js';
import { amount, dateTime, findRecord, parseBody } from './body.js';
import { orderView } from './orders.js';
import { pathId } from './query.js';

const itemBody = z.object({
  product_id: z.int().positive(),
  quantity: z.int().positive().default(1),
  price: amount.optional(),
  description: z.string().optional(),
});

const orderBody = z.object({
  contact_id: z.int().positive(),
  order_date: dateTime,
  order_title: z.string().min(1),
  order_type: z.enum(['Online', 'Offline']),
  order_items: z.array(itemBody).default([]),
  promo_codes: z.array(z.string()).optional(),
  lead_affiliate_id: z.int().nullable().optional(),
  sales_affiliate_id: z.int().nullable().optional(),
  shipping_address: z
    .object({
      first_name: z.string().nullable().default(null),
      middle_name: z.string().nullable().default(null),
      last_name: z.string().nullable().default(null),
      company: z.string().nullable().default(null),
      phone: z.string().nullable().default(null),
      line1: z.string().default(''),
      line2: z.string().nullable().default(null),
      locality: z.string().default(''),
      region: z.string().default(''),
      zip_code: z.string().default(''),
      zip_four: z.string().nullable().default(null),
      country_code: z.string().default('USA'),
    })
    .optional(),
});

const paymentBody = z.object({
  payment_amount: amount.refine((value) => value > 0, 'expected a positive amount'),
  payment_method_type: z.enum(['CREDIT_CARD', 'CASH', 'CHECK']),
  credit_card_id: z.int().optional(),
  payment_gateway_id: z.string().optional(),
  charge_now: z.boolean().optional(),
  apply_to_commissions: z.boolean().optional(),
  date: dateTime.optional(),
  notes: z.string().optional(),
});

export function registerOrderWrites(app: FastifyInstance, context: SandboxContext): void {
  app.post('/orders', async (request, reply) => {
    const body = parseBody(orderBody, request);
    const contact = context.data.contacts.get(body.contact_id);
    if (!contact) throw badRequest(`Contact ${body.contact_id} does not exist`);

    const now = context.clock.now();
    const firstId = nextItemId(context);
    const items = body.order_items.map((item, index) => buildItem(context, item, firstId + index));
    const order = context.data.orders.insert((id) => ({
      id,
      title: body.order_title,
      status: 'UNPAID',
      recurring: false,
      total: 0,
      total_paid: 0,
      total_due: 0,
      refund_total: 0,
      allow_payment: true,
      order_type: body.order_type,
      order_date: body.order_date,
      creation_date: now,
      modification_date: now,
      notes: null,
      terms: null,
      lead_affiliate_id: body.lead_affiliate_id ?? null,
      sales_affiliate_id: body.sales_affiliate_id ?? null,
      contact: {
        id: contact.id,
        first_name: contact.given_name,
        last_name: contact.family_name,
        email: contact.email_addresses[0]?.email ?? null,
        company_name: null,
        job_title: contact.job_title,
      },
      order_items: items,
      shipping_information: body.shipping_address ?? null,
      payment_plan: null,
    }));
    recompute(order, now);
    context.changes.publish({ noun: 'order', verb: 'add', id: order.id, at: now });
    return reply.code(201).send(orderView(order));
  });

  app.delete<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const order = findRecord(context.data.orders, request.params.id, 'Order');
    context.data.orders.delete(order.id);
    context.changes.publish({ noun: 'order', verb: 'delete', id: order.id, at: context.clock.now() });
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/orders/:id/items', async (request, reply) => {
    const order = findRecord(context.data.orders, request.params.id, 'Order');
    const item = buildItem(context, parseBody(itemBody, request), nextItemId(context));
    order.order_items.push(item);
    recompute(order, context.clock.now());
    context.changes.publish({ noun: 'order', verb: 'edit', id: order.id, at: context.clock.now() });
    return reply.code(201).send({ ...item });
  });

  app.delete<{ Params: { id: string; itemId: string } }>(
    '/orders/:id/items/:itemId',
    async (request, reply) => {
      const order = findRecord(context.data.orders, request.params.id, 'Order');
      const itemId = pathId(request.params.itemId, 'order item');
      const remaining = order.order_items.filter((item) => item.id !== itemId);
      if (remaining.length === order.order_items.length) throw badRequest(`No item ${itemId}`);
      order.order_items = remaining;
      recompute(order, context.clock.now());
      context.changes.publish({ noun: 'order', verb: 'edit', id: order.id, at: context.clock.now() });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>('/orders/:id/payments', async (request, reply) => {
    const order = findRecord(context.data.orders, request.params.id, 'Order');
    const body = parseBody(paymentBody, request);
    if (body.payment_amount > order.total_due + 0.005) {
      throw badRequest(`Payment of ${body.payment_amount} exceeds the ${order.total_due} due`);
    }

    const now = context.clock.now();
    const transaction = context.data.transactions.insert((id) => ({
      id,
      amount: body.payment_amount,
      currency: 'USD',
      status: 'Approved',
      type: 'Sale',
      collection_method: body.payment_method_type === 'CREDIT_CARD' ? 'Online' : 'Manual',
      gateway: body.payment_method_type === 'CREDIT_CARD' ? 'Stripe' : 'Manual',
      gateway_account_name: 'Keap Payments',
      test: false,
      contact_id: order.contact.id,
      order_ids: [order.id],
      errors: null,
      transaction_date: body.date ?? now,
    }));
    order.total_paid = cents(order.total_paid + body.payment_amount);
    recompute(order, now);
    context.changes.publish({ noun: 'order', verb: 'edit', id: order.id, at: now });

    return reply.code(201).send({
      id: transaction.id,
      invoice_id: order.id,
      transaction_id: transaction.id,
      payment_amount: body.payment_amount,
      payment_status: 'Approved',
    });
  });
}

/** A new item priced from the product unless the body sets a price. */
function buildItem(
  context: SandboxContext,
  body: z.output<typeof itemBody>,
  id: number,
): OrderItemRecord {
  const product = context.data.products.get(body.product_id);
  if (!product) throw badRequest(`Product ${body.product_id} does not exist`);

  const price = body.price ?? product.subscription_plans[0]?.plan_price ?? product.product_price;
  return {
    id,
    name: product.product_name,
    description: body.description ?? product.product_short_desc,
    notes: null,
    type: 'Product',
    quantity: body.quantity,
    price,
    cost: 0,
    discount: 0,
    product: {
      id: product.id,
      name: product.product_name,
      description: product.product_short_desc,
      sku: product.sku,
      shippable: product.shippable,
      taxable: product.taxable,
    },
  };
}

/** Item ids are unique across all orders, as in Keap's OrderItem table. */
function nextItemId(context: SandboxContext): number {
  const orders = context.data.orders.all();
  const ids = orders.flatMap((order) => order.order_items.map((item) => item.id));
  return Math.max(0, ...ids) + 1;
}

function recompute(order: OrderRecord, now: number): void {
  order.total = cents(
    order.order_items.reduce((sum, item) => sum + item.price * item.quantity - item.discount, 0),
  );
  order.total_due = cents(Math.max(0, order.total - order.total_paid));
  order.status = order.total_due > 0 ? 'UNPAID' : 'PAID';
  order.allow_payment = order.total_due > 0;
  order.modification_date = now;
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
