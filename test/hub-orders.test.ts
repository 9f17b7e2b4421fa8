import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_HEADERS } from '../src/http/server.js';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

describe('GET /hubs/ecommerce/orders and /products', () => {
  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'hub-orders' });
    instance = await provision(stack);
  });
  afterAll(() => stack.close());

  const hub = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.api}${path}`, { headers: { authorization: instance.hubAuth, ...headers } });
  const ids = async (res: Response) => ((await res.json()) as { id: number }[]).map((r) => r.id);

  it('is protected: no Element token, a wrong one', async () => {
    const none = await fetch(`${stack.api}/hubs/ecommerce/orders`, { headers: { authorization: stack.platformAuth } });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toContain('Element token');
    const wrong = await hub('/hubs/ecommerce/orders', { authorization: `User ${stack.secrets.user}, Element nope` });
    expect(wrong.status).toBe(401);
  });

  it('lists orders with the paging and instance headers', async () => {
    const res = await hub('/hubs/ecommerce/orders?pageSize=5');
    expect(res.status).toBe(200);
    const orders = (await res.json()) as Record<string, unknown>[];
    expect(orders).toHaveLength(5);
    expect(orders[0]).toHaveProperty('order_items');
    expect(res.headers.get('elements-returned-count')).toBe('5');
    expect(Number(res.headers.get('elements-total-count'))).toBeGreaterThanOrEqual(100);
    expect(res.headers.get('elements-next-page-token')).toBeTruthy();
    expect(res.headers.get('elements-element-instance-id')).toBe(String(instance.id));
    expect(res.headers.get('elements-request-id')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('gets one order and one product by id', async () => {
    const [first] = await ids(await hub('/hubs/ecommerce/orders?pageSize=1'));
    const order = await hub(`/hubs/ecommerce/orders/${first}`);
    expect(order.status).toBe(200);
    expect(((await order.json()) as { id: number }).id).toBe(first);
    const [product] = await ids(await hub('/hubs/ecommerce/products?pageSize=1'));
    const one = await hub(`/hubs/ecommerce/products/${product}`);
    expect(((await one.json()) as { id: number }).id).toBe(product);
    expect(one.headers.get('elements-element-instance-id')).toBe(String(instance.id));
  });

  it('page 1 + page 2 of size n equals page 1 of size 2n', async () => {
    for (const resource of ['orders', 'products']) {
      const p1 = await ids(await hub(`/hubs/ecommerce/${resource}?page=1&pageSize=7`));
      const p2 = await ids(await hub(`/hubs/ecommerce/${resource}?page=2&pageSize=7`));
      const both = await ids(await hub(`/hubs/ecommerce/${resource}?page=1&pageSize=14`));
      expect([...p1, ...p2]).toEqual(both);
    }
  });

  it('walking nextPage with pageSize=1 visits every order once', async () => {
    const total = Number((await hub('/hubs/ecommerce/orders?pageSize=1')).headers.get('elements-total-count'));
    const seen: number[] = [];
    let token: string | null = null;
    do {
      const res: Response = await hub(`/hubs/ecommerce/orders?pageSize=1${token ? `&nextPage=${token}` : ''}`);
      const page = await ids(res);
      expect(page.length).toBeLessThanOrEqual(1);
      seen.push(...page);
      token = res.headers.get('elements-next-page-token');
    } while (token);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('the last page has no next-page token, and a page past the end is empty', async () => {
    const total = Number((await hub('/hubs/ecommerce/orders?pageSize=1')).headers.get('elements-total-count'));
    const last = await hub(`/hubs/ecommerce/orders?pageSize=10&page=${Math.ceil(total / 10)}`);
    expect(last.headers.get('elements-next-page-token')).toBeNull();
    const past = await hub(`/hubs/ecommerce/orders?pageSize=10&page=${Math.ceil(total / 10) + 1}`);
    expect(await past.json()).toEqual([]);
    expect(past.headers.get('elements-returned-count')).toBe('0');
    expect(past.headers.get('elements-next-page-token')).toBeNull();
  });

  it('caps pageSize at pagination.max and says so in Elements-Error', async () => {
    const res = await hub('/hubs/ecommerce/orders?pageSize=500');
    expect(((await res.json()) as unknown[]).length).toBe(100);
    expect(res.headers.get('elements-error')).toContain('pagination.max');
  });

  it('refuses a bad page size and a forged page token with 400', async () => {
    expect((await hub('/hubs/ecommerce/orders?pageSize=0')).status).toBe(400);
    expect((await hub('/hubs/ecommerce/orders?pageSize=abc')).status).toBe(400);
    expect((await hub('/hubs/ecommerce/orders?nextPage=garbage')).status).toBe(400);
  });

  it('drops nulls by default and keeps them when filter.response.nulls is false', async () => {
    const hasNull = (value: unknown): boolean =>
      value === null ||
      (typeof value === 'object' && Object.values(value as object).some((v) => v === null || hasNull(v)));
    const filtered = await (await hub('/hubs/ecommerce/orders?pageSize=50')).json();
    expect(hasNull(filtered)).toBe(false);
    const patch = await fetch(`${stack.api}/instances/${instance.id}`, {
      method: 'PATCH',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ configuration: { 'filter.response.nulls': 'false' } }),
    });
    expect(patch.status).toBe(200);
    const raw = await (await hub('/hubs/ecommerce/orders?pageSize=50')).json();
    expect(hasNull(raw)).toBe(true);
    await fetch(`${stack.api}/instances/${instance.id}`, {
      method: 'PATCH',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ configuration: { 'filter.response.nulls': 'true' } }),
    });
  });

  it('ignores the hub segment and serves the hub-less alias', async () => {
    const a = await (await hub('/hubs/ecommerce/orders?pageSize=3')).text();
    const b = await (await hub('/hubs/crap/orders?pageSize=3')).text();
    const c = await (await hub('/orders?pageSize=3')).text();
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it("normalizes the provider's 404 into the Open Connectors error body", async () => {
    const res = await hub('/hubs/ecommerce/orders/987654321');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { requestId: string; message: string; providerMessage: string };
    expect(body.requestId).toBe(res.headers.get('elements-request-id'));
    expect(body.providerMessage).toBe('Unable to find this Order');
    expect(body.message).toContain('404');
  });

  it('answers 404 for a resource the element does not declare', async () => {
    const res = await hub('/hubs/ecommerce/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('Infusionsoft Online Sales');
  });

  it('exposes the paging headers to browsers with the exact CORS string', async () => {
    const res = await hub('/hubs/ecommerce/orders?pageSize=1', { origin: 'http://app.example' });
    expect(res.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    expect(EXPOSED_HEADERS).toBe(
      'Elements-Returned-Count, Elements-Total-Count, Elements-Request-Id, Elements-Next-Page-Token, Elements-Trace-Id, Elements-Error, Content-Disposition',
    );
  });
});
