import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithToken, write, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;
type Feed = Envelope & {
  sync_token: string;
  product_statuses: { product: { id: number }; status: string }[];
};

describe('product writes and /products/sync', () => {
  let sandbox: Sandbox;
  const send = (method: string, path: string, body?: unknown) =>
    write(sandbox.url, sandbox.token, method, path, body);

  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  it('feeds creates, updates and deletes after a sync token', async () => {
    const start = await sandbox.get<Feed>('/products/sync');
    expect(start.count).toBe(30);

    const created = (await (
      await send('POST', '/products', { product_name: 'Gift Box', product_price: 35 })
    ).json()) as { id: number; active: boolean };
    expect(created.active).toBe(true);
    expect((await send('PATCH', '/products/2', { product_price: 1 })).status).toBe(200);
    expect((await send('DELETE', '/products/3')).status).toBe(204);

    const feed = await sandbox.get<Feed>(`/products/sync?sync_token=${start.sync_token}`);
    expect(feed.product_statuses.map((entry) => [entry.product.id, entry.status])).toEqual([
      [2, 'UPDATED'],
      [3, 'DELETED'],
      [created.id, 'CREATED'],
    ]);
    expect(feed.sync_token).not.toBe(start.sync_token);

    const nothing = await sandbox.get<Feed>(`/products/sync?sync_token=${feed.sync_token}`);
    expect(nothing.product_statuses).toEqual([]);
  });

  it('moves the products list sync_token on writes', async () => {
    const before = await sandbox.get<{ sync_token: string }>('/products?limit=1');
    await send('PATCH', '/products/5', { active: false });
    const after = await sandbox.get<{ sync_token: string }>('/products?limit=1');
    expect(after.sync_token).not.toBe(before.sync_token);
  });

  it('requires a product name and rejects a garbage sync token', async () => {
    expect((await send('POST', '/products', { product_price: 3 })).status).toBe(400);
    expect((await send('GET', '/products/sync?sync_token=zzz')).status).toBe(400);
  });

  it('adds a subscription plan to a product', async () => {
    const response = await send('POST', '/products/1/subscriptions', {
      cycle_type: 'MONTH',
      plan_price: 9,
    });
    expect(response.status).toBe(201);
    const plan = (await response.json()) as { id: number };
    expect((await send('GET', `/products/1/subscriptions/${plan.id}`)).status).toBe(200);
    expect((await send('DELETE', `/products/1/subscriptions/${plan.id}`)).status).toBe(204);
  });
});
