/**
 * Orders (invoices) — `GET /orders` and `GET /orders/{id}` (keap.md §3.3). `since`/`until`
 * match `modification_date`, so a poller sees orders that were paid or edited after creation.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { OrderRecord } from '../data/models.js';
import { notFound } from '../errors.js';
import { listEnvelope } from './paging.js';
import { pathId, queryBoolean, queryChoice, queryDate, queryInt, type RawQuery } from './query.js';
import { sortRows, withinWindow, type SortKey } from './sorting.js';

const ORDER_KEYS = {
  id: (order: OrderRecord): SortKey => order.id,
  order_date: (order: OrderRecord): SortKey => order.order_date,
  creation_date: (order: OrderRecord): SortKey => order.creation_date,
  modification_date: (order: OrderRecord): SortKey => order.modification_date,
} as const;
const ORDER_FIELDS = Object.keys(ORDER_KEYS) as (keyof typeof ORDER_KEYS)[];

export function registerOrders(app: FastifyInstance, context: SandboxContext): void {
  app.get('/orders', async (request) => {
    const query = request.query as RawQuery;
    const since = queryDate(query, 'since');
    const until = queryDate(query, 'until');
    const paid = queryBoolean(query, 'paid');
    const contactId = queryInt(query, 'contact_id');
    const productId = queryInt(query, 'product_id');
    const order = queryChoice(query, 'order', ORDER_FIELDS) ?? 'id';

    const matching = context.data.orders.all().filter(
      (row) =>
        withinWindow(row.modification_date, since, until) &&
        (paid === undefined || (row.total_due <= 0) === paid) &&
        (contactId === undefined || row.contact.id === contactId) &&
        (productId === undefined || row.order_items.some((item) => item.product?.id === productId)),
    );
    return listEnvelope(request, 'orders', sortRows(matching, ORDER_KEYS[order]), orderView);
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
    const order = context.data.orders.get(pathId(request.params.id, 'order'));
    if (!order) throw notFound('Order');
    return orderView(order);
  });
}

/** An order as REST v1 returns it; optional fields stay explicit nulls. */
export function orderView(order: OrderRecord) {
  return {
    id: order.id,
    title: order.title,
    status: order.status,
    recurring: order.recurring,
    total: order.total,
    total_paid: order.total_paid,
    total_due: order.total_due,
    refund_total: order.refund_total,
    allow_payment: order.allow_payment,
    order_date: formatV1Date(order.order_date),
    creation_date: formatV1Date(order.creation_date),
    modification_date: formatV1Date(order.modification_date),
    notes: order.notes,
    terms: order.terms,
    lead_affiliate_id: order.lead_affiliate_id,
    sales_affiliate_id: order.sales_affiliate_id,
    contact: { ...order.contact },
    order_items: order.order_items.map((item) => ({
      ...item,
      product: item.product ? { ...item.product } : null,
    })),
    shipping_information: order.shipping_information ? { ...order.shipping_information } : null,
    payment_plan: order.payment_plan ? structuredClone(order.payment_plan) : null,
  };
}
