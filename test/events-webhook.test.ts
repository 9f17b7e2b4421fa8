import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHook } from '../src/store/inbox.js';
import { backoffice, provisionWithEvents } from './support/events.js';
import { eventually, Receiver } from './support/receiver.js';
import { startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

interface SandboxHook {
  key: string;
  eventKey: string;
  hookUrl: string;
  status: string;
}

describe('events by Keap REST hooks', () => {
  let stack: Stack;
  let receiver: Receiver;
  let instance: ProvisionedInstance;

  beforeAll(async () => {
    stack = await startStack({
      name: 'events-webhook',
      sandbox: { hookDelayMs: 50, hookRetryDelaysMs: [50, 50, 50] },
      env: { JUNCTION_EVENTS_TICK_MS: '100' },
    });
    receiver = await new Receiver().start();
    instance = await provisionWithEvents(stack, receiver.url, { 'event.vendor.type': 'webhooks' });
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const hooks = async () => (await (await fetch(`${stack.sandboxUrl}/_control/hooks`)).json()) as SandboxHook[];
  const events = () => receiver.accepted().flatMap((n) => n.message.events);
  const handshakeFaults = (fault: string, times: number) =>
    fetch(`${stack.sandboxUrl}/_control/hooks/handshake-faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault, times }),
    });
  const configure = (configuration: Record<string, unknown>) =>
    fetch(`${stack.api}/instances/${instance.id}`, {
      method: 'PATCH',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ configuration }),
    });

  it("registers the element's hooks at Keap, verified through the handshake", async () => {
    await eventually(async () => (await hooks()).length === 9 && (await hooks()).every((h) => h.status === 'Verified'));
    const all = await hooks();
    expect(new Set(all.map((h) => h.eventKey))).toContain('order.edit');
    const url = new URL(all[0]?.hookUrl ?? '');
    expect(url.pathname).toMatch(/^\/elements\/api-v2\/events\/infusionsoftecommerce\/[^/]+\/[\w-]{30,}$/);
    expect(new Set(all.map((h) => h.hookUrl)).size).toBe(1);
  });

  it('turns a hook batch into confirmed events', async () => {
    await backoffice(stack, 'PATCH', 'orders/8', { notes: 'edited in Keap' });
    const contact = (await backoffice(stack, 'POST', 'contacts', { given_name: 'Hooked' })) as { id: number };
    await eventually(() => events().length >= 2);
    expect(events()).toContainEqual(expect.objectContaining({ objectType: 'orders', objectId: '8', eventType: 'UPDATED' }));
    expect(events()).toContainEqual(expect.objectContaining({ objectType: 'contacts', objectId: String(contact.id), eventType: 'CREATED' }));
    const raw = receiver.accepted().map((n) => n.message.raw);
    expect(raw).toContainEqual(expect.objectContaining({ event_key: 'order.edit' }));
  });

  it('produces no second event from a duplicate batch', async () => {
    const before = receiver.received.length;
    const edit = (await hooks()).find((h) => h.eventKey === 'order.edit') as SandboxHook;
    const resend = await fetch(`${stack.sandboxUrl}/_control/hooks/${edit.key}/resend`, { method: 'POST' });
    expect(resend.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stack.hub.services.events.runNow();
    expect(receiver.received.length).toBe(before);
  });

  it('refuses a handshake once no registration is pending', async () => {
    const [hook] = await hooks();
    const forged = await fetch(hook?.hookUrl ?? '', { method: 'POST', headers: { 'x-hook-secret': 'forged' } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('x-hook-secret')).toBeNull();
    const guessed = (hook?.hookUrl ?? '').replace(/[\w-]+$/, 'guessed-token-guessed-token-guessed');
    expect((await fetch(guessed, { method: 'POST', headers: { 'x-hook-secret': 'x' } })).status).toBe(404);
  });

  it('fans an inbound event out to the instances of Element-Instances', async () => {
    const before = events().length;
    await backoffice(stack, 'PATCH', 'orders/9', { notes: 'told through /events' });
    const res = await fetch(`${stack.api}/events/infusionsoftecommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'element-instances': String(instance.id) },
      body: JSON.stringify({ event_key: 'order.edit', object_keys: [{ id: 9, timestamp: new Date().toISOString() }] }),
    });
    expect(res.status).toBe(200);
    await eventually(() => events().some((e) => e.objectId === '9'));
    expect(events().filter((e) => e.objectId === '9')).toHaveLength(1);
    expect(events().length).toBeGreaterThan(before);
    const unknown = await fetch(`${stack.api}/events/infusionsoftecommerce`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(unknown.status).toBe(404);
  });

  const inbound = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.api}/events/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const editBatch = (id: number, extra: Record<string, unknown> = {}) => ({
    ...extra,
    event_key: 'order.edit',
    object_keys: [{ id, timestamp: new Date().toISOString() }],
  });

  it('finds the instance by the Id header', async () => {
    await backoffice(stack, 'PATCH', 'orders/10', { notes: 'told with Id' });
    expect((await inbound('infusionsoftecommerce', editBatch(10), { id: String(instance.id) })).status).toBe(200);
    await eventually(() => events().some((e) => e.objectId === '10'));
    expect((await inbound('infusionsoftecommerce', editBatch(10), { id: '999999' })).status).toBe(404);
  });

  it("finds the instance through the element's instance finder and event.notification.instance.finder", async () => {
    // Without a finder value on the instance, the payload's tenant names nobody.
    expect((await inbound('infusionsoftecommerce', editBatch(11, { tenant: 'ab123' }))).status).toBe(404);
    expect((await configure({ 'event.notification.instance.finder': 'ab123' })).status).toBe(200);

    await backoffice(stack, 'PATCH', 'orders/11', { notes: 'told by tenant' });
    const res = await inbound('infusionsoftecommerce', editBatch(11, { tenant: 'ab123' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });
    await eventually(() => events().some((e) => e.objectId === '11'));
    // A GET carries its data in the query.
    const asQuery = await fetch(`${stack.api}/events/infusionsoftecommerce?tenant=ab123&event_key=order.edit`);
    expect(await asQuery.json()).toEqual({ received: 1 });
    const other = await inbound('infusionsoftecommerce', editBatch(11, { tenant: 'zz999' }));
    expect(other.status).toBe(404);
    expect(((await other.json()) as { message: string }).message).toMatch(/event\.notification\.instance\.finder/);
  });

  it('turns poller-shaped records posted to {elementKey}Polling/{encoded id} into confirmed events', async () => {
    await backoffice(stack, 'PATCH', 'orders/12', { notes: 'polled elsewhere' });
    const encoded = Buffer.from(String(instance.id)).toString('base64');
    const posted = { orders: [{ id: 12, title: 'as the client saw it' }, { id: 987654 }], objectType: 'orders' };
    const res = await inbound(`infusionsoftecommercePolling/${encoded}`, posted, { id: String(instance.id) });
    expect(res.status).toBe(200);
    await eventually(() => events().some((e) => e.objectId === '12'));
    expect(events()).toContainEqual(expect.objectContaining({ objectType: 'orders', objectId: '12', eventType: 'UPDATED' }));
    // The order Keap does not have yields nothing; the raw records are Junction's own copy.
    expect(events().some((e) => e.objectId === '987654')).toBe(false);
    const raw = receiver.accepted().map((n) => n.message.raw as { objectType?: string; orders?: { id: number; title?: string }[] });
    const polled = raw.find((r) => r.objectType === 'orders' && r.orders?.some((o) => o.id === 12));
    expect(polled?.orders?.map((o) => o.id)).toEqual([12]);
    expect(polled?.orders?.[0]?.title).not.toBe('as the client saw it');
    expect((await inbound('infusionsoftmarketingPolling/' + encoded, posted)).status).toBe(404);
  });

  it('removes the hooks when events are turned off, and registers them again when turned on', async () => {
    expect((await configure({ 'event.notification.enabled': 'false' })).status).toBe(200);
    await eventually(async () => (await hooks()).length === 0);
    await configure({ 'event.notification.enabled': 'true' });
    await eventually(async () => (await hooks()).length === 9);
  });

  it('confirms hooks whose handshake answer was lost, or which never got one, while registering', async () => {
    const lastKey = Math.max(...(await hooks()).map((h) => Number(h.key)));
    await configure({ 'event.notification.enabled': 'false' });
    await eventually(async () => (await hooks()).length === 0);
    // Two handshakes reach Junction but Keap loses the echo; two more never reach it.
    await handshakeFaults('lost-reply', 2);
    await handshakeFaults('unreachable', 2);

    await configure({ 'event.notification.enabled': 'true' });
    await eventually(async () => (await hooks()).length === 9 && (await hooks()).every((h) => h.status === 'Verified'));
    // One registration: had a hook stayed Unverified, the hub would have registered all nine again.
    expect((await hooks()).map((h) => Number(h.key)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 9 }, (_, i) => lastKey + 1 + i),
    );
    const row = await findHook(stack.hub.services.db, instance.id);
    expect(row).toMatchObject({ status: 'registered', lastError: null, handshakeSecret: null });
  });

  it('removes the hooks when the instance is deleted', async () => {
    const res = await fetch(`${stack.api}/instances/${instance.id}`, { method: 'DELETE', headers: { authorization: stack.platformAuth } });
    expect(res.status).toBe(200);
    // Removal runs in the background after the delete; allow for a loaded machine.
    await eventually(async () => (await hooks()).length === 0, 30_000);
  });
});

describe('hook URL secrets in logs', () => {
  it('redacts the secret segment of a hook URL', async () => {
    const { redactUrl } = await import('../src/http/redact.js');
    expect(redactUrl('/elements/api-v2/events/infusionsoftecommerce/MQ==/s3cret-token?x=1')).toBe(
      '/elements/api-v2/events/infusionsoftecommerce/MQ==/***?x=1',
    );
    expect(redactUrl('/elements/api-v2/events/infusionsoftecommerce/MQ==')).toBe('/elements/api-v2/events/infusionsoftecommerce/MQ==');
  });
});
