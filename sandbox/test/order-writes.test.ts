import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithToken, write, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;
interface Order {
  id: number;
  total: number;
  total_paid: number;
  total_due: number;
  status: string;
  modification_date: string;
  order_items: { id: number; price: number; quantity: number }[];
}

describe('order writes', () => {
  let sandbox: Sandbox;
  const send = (method: string, path: string, body?: unknown) =>
    write(sandbox.url, sandbox.token, method, path, body);

  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  async function createOrder(): Promise<Order> {
    const response = await send('POST', '/orders', {
      contact_id: 1,
      order_date: '2026-01-15T12:00:00.000Z',
      order_title: 'API order',
      order_type: 'Online',
      order_items: [{ product_id: 1, quantity: 2, price: '10.50' }],
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Order;
  }

  it('creates an unpaid order with totals from its items', async () => {
    const order = await createOrder();
    expect(order).toMatchObject({ total: 21, total_paid: 0, total_due: 21, status: 'UNPAID' });
  });

  it('refuses an order for a missing contact or product', async () => {
    const base = { order_date: '2026-01-15T12:00:00Z', order_title: 'x', order_type: 'Online' };
    expect((await send('POST', '/orders', { ...base, contact_id: 999_999 })).status).toBe(400);
    const badItem = { ...base, contact_id: 1, order_items: [{ product_id: 999 }] };
    expect((await send('POST', '/orders', badItem)).status).toBe(400);
  });

  it('adds and removes items, recomputing totals and modification_date', async () => {
    const order = await createOrder();
    sandbox.advance(120_000);
    const added = await send('POST', `/orders/${order.id}/items`, {
      product_id: 2,
      quantity: 1,
      price: 4.5,
    });
    expect(added.status).toBe(201);
    const item = (await added.json()) as { id: number };

    const after = await sandbox.get<Order>(`/orders/${order.id}`);
    expect(after.total).toBe(25.5);
    expect(after.modification_date).not.toBe(order.modification_date);

    expect((await send('DELETE', `/orders/${order.id}/items/${item.id}`)).status).toBe(204);
    expect((await sandbox.get<Order>(`/orders/${order.id}`)).total).toBe(21);
  });

  it('records payments as transactions and marks the order paid', async () => {
    const order = await createOrder();
    const payment = await send('POST', `/orders/${order.id}/payments`, {
      payment_amount: '21.00',
      payment_method_type: 'CASH',
    });
    expect(payment.status).toBe(201);
    const result = (await payment.json()) as { transaction_id: number; invoice_id: number };
    expect(result.invoice_id).toBe(order.id);

    const paid = await sandbox.get<Order>(`/orders/${order.id}`);
    expect(paid).toMatchObject({ total_paid: 21, total_due: 0, status: 'PAID' });

    const transactions = await sandbox.get<Envelope & { transactions: { id: number }[] }>(
      `/orders/${order.id}/transactions`,
    );
    expect(transactions.transactions.map((tx) => tx.id)).toEqual([result.transaction_id]);
    const transaction = await sandbox.get<{ order_ids: string }>(
      `/transactions/${result.transaction_id}`,
    );
    expect(transaction.order_ids).toBe(String(order.id));

    const over = await send('POST', `/orders/${order.id}/payments`, {
      payment_amount: 1,
      payment_method_type: 'CASH',
    });
    expect(over.status).toBe(400);
  });

  it('deletes an order', async () => {
    const order = await createOrder();
    expect((await send('DELETE', `/orders/${order.id}`)).status).toBe(204);
    const gone = await send('GET', `/orders/${order.id}`);
    expect(await gone.json()).toEqual({ message: 'Unable to find this Order' });
  });

  it('lists transactions with since on transaction_date', async () => {
    const all = await sandbox.get<Envelope & { transactions: { transaction_date: string }[] }>(
      '/transactions',
    );
    expect(all.count).toBeGreaterThan(100);
    const since = new Date(sandbox.now() - 7 * 86_400_000).toISOString();
    const recent = await sandbox.get<Envelope>(`/transactions?since=${since}`);
    expect(recent.count).toBeLessThan(all.count);
  });

  it('lists and creates subscriptions', async () => {
    const list = await sandbox.get<Envelope & { subscriptions: { start_date: string }[] }>(
      '/subscriptions',
    );
    expect(list.count).toBe(20);
    expect(list.subscriptions[0]?.start_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const product = await sandbox.get<{ id: number; subscription_plans: { id: number }[] }>(
      '/products/25',
    );
    const created = await send('POST', '/subscriptions', {
      contact_id: 1,
      product_id: product.id,
      subscription_plan_id: product.subscription_plans[0]?.id,
    });
    expect(created.status).toBe(201);
  });
});
