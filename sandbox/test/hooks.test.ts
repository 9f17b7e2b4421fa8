import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/receiver.js';
import { api, control, launchWithToken, write } from './support.js';

type Launched = Awaited<ReturnType<typeof launchWithToken>>;

/** A receiver that echoes X-Hook-Secret unless told not to. */
async function echoingReceiver(echo = true) {
  const { createServer } = await import('node:http');
  const bodies: { secret: string | undefined; body: string }[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const secret = request.headers['x-hook-secret'] as string | undefined;
      bodies.push({ secret, body });
      if (secret && echo) response.setHeader('x-hook-secret', secret);
      response.writeHead(secret ? 200 : (statuses.shift() ?? 200)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return { url, bodies, statuses, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('sandbox REST hooks', () => {
  let sandbox: Launched;
  beforeAll(async () => {
    sandbox = await launchWithToken({ hookDelayMs: 30, hookRetryDelaysMs: [20, 20, 20] });
  });
  afterAll(() => sandbox.close());

  const hooksApi = (path: string, init: RequestInit = {}) =>
    api(sandbox.url, sandbox.token, path, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  const create = async (eventKey: string, hookUrl: string) =>
    (await (await hooksApi('/hooks', { method: 'POST', body: JSON.stringify({ eventKey, hookUrl }) })).json()) as {
      key: string;
      status: string;
    };

  it('lists event keys and needs a token', async () => {
    const keys = (await (await hooksApi('/hooks/event_keys')).json()) as string[];
    expect(keys).toContain('order.edit');
    expect((await fetch(`${sandbox.url}/crm/rest/v1/hooks`)).status).toBe(401);
  });

  it('verifies at once when the receiver echoes the secret, and supports CRUD', async () => {
    const receiver = await echoingReceiver();
    const hook = await create('order.edit', receiver.url);
    expect(hook.status).toBe('Verified');
    expect(receiver.bodies[0]?.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(((await (await hooksApi(`/hooks/${hook.key}`)).json()) as { eventKey: string }).eventKey).toBe('order.edit');
    const listed = (await (await hooksApi('/hooks')).json()) as unknown[];
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect((await hooksApi(`/hooks/${hook.key}`, { method: 'DELETE' })).status).toBe(204);
    expect((await hooksApi(`/hooks/${hook.key}`)).status).toBe(404);
    expect((await hooksApi('/hooks', { method: 'POST', body: JSON.stringify({ eventKey: 'nope.add', hookUrl: receiver.url }) })).status).toBe(400);
    await receiver.close();
  });

  it('stays Unverified without the echo until delayedVerify with the secret', async () => {
    const receiver = await echoingReceiver(false);
    const hook = await create('contact.add', receiver.url);
    expect(hook.status).toBe('Unverified');
    const wrong = await hooksApi(`/hooks/${hook.key}/delayedVerify`, { method: 'POST', headers: { 'x-hook-secret': 'wrong' } });
    expect(((await wrong.json()) as { status: string }).status).toBe('Unverified');
    const secret = receiver.bodies[0]?.secret ?? '';
    const right = await hooksApi(`/hooks/${hook.key}/delayedVerify`, { method: 'POST', headers: { 'x-hook-secret': secret } });
    expect(((await right.json()) as { status: string }).status).toBe('Verified');
    await receiver.close();
  });

  it('sends back-office changes in one batch after the delay', async () => {
    const receiver = await echoingReceiver();
    await create('order.edit', receiver.url);
    for (const id of [1, 2, 3]) await control(sandbox.url, 'PATCH', `/backoffice/orders/${id}`, { notes: 'x' });
    await eventually(() => receiver.bodies.length === 2);
    const batch = JSON.parse(receiver.bodies[1]?.body ?? '{}') as { event_key: string; object_keys: { id: number }[] };
    expect(batch.event_key).toBe('order.edit');
    expect(batch.object_keys.map((o) => o.id)).toEqual([1, 2, 3]);
    await receiver.close();
  });

  it('retries a failing receiver four times in all, then turns the hook Inactive; 410 at once', async () => {
    const failing = await echoingReceiver();
    const hook = await create('product.edit', failing.url);
    failing.statuses.push(500, 500, 500, 500);
    await control(sandbox.url, 'PATCH', '/backoffice/products/1', { product_name: 'x' });
    await eventually(async () => ((await (await hooksApi(`/hooks/${hook.key}`)).json()) as { status: string }).status === 'Inactive');
    expect(failing.bodies.length).toBe(5);
    await failing.close();

    const gone = await echoingReceiver();
    const other = await create('contact.edit', gone.url);
    gone.statuses.push(410);
    await control(sandbox.url, 'PATCH', '/backoffice/contacts/1', { given_name: 'x' });
    await eventually(async () => ((await (await hooksApi(`/hooks/${other.key}`)).json()) as { status: string }).status === 'Inactive');
    expect(gone.bodies.length).toBe(2);
    await gone.close();
  });

  it('fires hooks for REST v1 writes as for back-office edits', async () => {
    const receiver = await echoingReceiver();
    const keys = ['contact.add', 'contact.edit', 'contact.delete', 'order.add', 'order.edit', 'order.delete',
      'product.add', 'product.edit', 'product.delete'];
    for (const key of keys) expect((await create(key, receiver.url)).status).toBe('Verified');
    const send = async (method: string, path: string, body?: unknown) =>
      (await (await write(sandbox.url, sandbox.token, method, path, body)).json().catch(() => ({}))) as { id: number };

    const contact = await send('POST', '/contacts', { email_addresses: [{ email: 'hook@example.com', field: 'EMAIL1' }] });
    await send('PATCH', `/contacts/${contact.id}`, { given_name: 'Hooked' });
    const product = await send('POST', '/products', { product_name: 'Hooked product', product_price: 5 });
    await send('PATCH', `/products/${product.id}`, { product_name: 'Renamed' });
    const order = await send('POST', '/orders', {
      contact_id: contact.id, order_date: '2026-01-01T00:00:00.000Z', order_title: 'Hooked', order_type: 'Online',
      order_items: [{ product_id: product.id, quantity: 1 }],
    });
    await send('POST', `/orders/${order.id}/payments`, { payment_amount: 1, payment_method_type: 'CASH', apply_to_commissions: false });
    await send('DELETE', `/orders/${order.id}`);
    await send('DELETE', `/products/${product.id}`);
    await send('DELETE', `/contacts/${contact.id}`);

    const batches = () => receiver.bodies.filter((b) => !b.secret).map((b) => JSON.parse(b.body) as {
      event_key: string;
      object_keys: { id: number }[];
    });
    await eventually(() => batches().length === keys.length);
    const idsByKey = Object.fromEntries(batches().map((b) => [b.event_key, b.object_keys.map((o) => o.id)]));
    expect(idsByKey).toEqual({
      'contact.add': [contact.id], 'contact.edit': [contact.id], 'contact.delete': [contact.id],
      'order.add': [order.id], 'order.edit': [order.id], 'order.delete': [order.id],
      'product.add': [product.id], 'product.edit': [product.id], 'product.delete': [product.id],
    });
    await receiver.close();
  });

  it('back office creates, changes and deletes with server-managed dates', async () => {
    const created = (await (await control(sandbox.url, 'POST', '/backoffice/orders', { title: 'New' })).json()) as {
      id: number;
      creation_date: string;
    };
    expect(created.creation_date).toBe(new Date(sandbox.now()).toISOString().replace('Z', '+0000'));
    sandbox.advance(5000);
    const changed = (await (await control(sandbox.url, 'PATCH', `/backoffice/orders/${created.id}`, { title: 'Changed' })).json()) as {
      modification_date: string;
    };
    expect(changed.modification_date).toBe(new Date(sandbox.now()).toISOString().replace('Z', '+0000'));
    expect((await control(sandbox.url, 'DELETE', `/backoffice/orders/${created.id}`)).status).toBe(204);
    expect((await api(sandbox.url, sandbox.token, `/orders/${created.id}`)).status).toBe(404);
  });
});

