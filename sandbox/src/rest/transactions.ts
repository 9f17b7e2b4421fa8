/**
 * Transactions — `GET /transactions`, `GET /transactions/{id}` and the per-order list
 * `GET /orders/{id}/transactions`. `since`/`until` match `transaction_date`.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { TransactionRecord } from '../data/models.js';
import { findRecord } from './body.js';
import { orderView } from './orders.js';
import { listEnvelope } from './paging.js';
import { queryDate, queryInt, type RawQuery } from './query.js';
import { withinWindow } from './sorting.js';

export function registerTransactions(app: FastifyInstance, context: SandboxContext): void {
  app.get('/transactions', async (request) => {
    const matching = context.data.transactions.all().filter(readFilter(request.query as RawQuery));
    return listEnvelope(request, 'transactions', matching, (row) => transactionView(context, row));
  });

  app.get<{ Params: { id: string } }>('/transactions/:id', async (request) => {
    const row = findRecord(context.data.transactions, request.params.id, 'Transaction');
    return transactionView(context, row);
  });

  app.get<{ Params: { id: string } }>('/orders/:id/transactions', async (request) => {
    const order = findRecord(context.data.orders, request.params.id, 'Order');
    const filter = readFilter(request.query as RawQuery);
    const matching = context.data.transactions
      .all()
      .filter((row) => row.order_ids.includes(order.id) && filter(row));
    return listEnvelope(request, 'transactions', matching, (row) => transactionView(context, row));
  });
}

function readFilter(query: RawQuery): (row: TransactionRecord) => boolean {
  const since = queryDate(query, 'since');
  const until = queryDate(query, 'until');
  const contactId = queryInt(query, 'contact_id');
  return (row) =>
    withinWindow(row.transaction_date, since, until) &&
    (contactId === undefined || row.contact_id === contactId);
}

/** `order_ids` is a comma-separated string in v1, next to the full `orders`. */
export function transactionView(context: SandboxContext, row: TransactionRecord) {
  const orders = row.order_ids.flatMap((id) => {
    const order = context.data.orders.get(id);
    return order ? [orderView(order)] : [];
  });
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    type: row.type,
    collection_method: row.collection_method,
    gateway: row.gateway,
    gateway_account_name: row.gateway_account_name,
    test: row.test,
    contact_id: row.contact_id,
    order_ids: row.order_ids.join(','),
    orders,
    errors: row.errors,
    transaction_date: formatV1Date(row.transaction_date),
  };
}
