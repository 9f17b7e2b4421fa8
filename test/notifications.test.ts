import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/crypto/cipher.js';
import { newBase64Secret, newHexSecret } from '../src/crypto/tokens.js';
import { organizations, users } from '../src/store/schema.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { startStack, type Stack } from './support/stack.js';

interface NotificationJson {
  id: number;
  severity: string;
  topic: string;
  message: unknown;
  from?: string;
  createdDate: string;
  active: boolean;
  acknowledged: boolean;
}

interface SubscriptionJson {
  id: string;
  channel: string;
  topics: string[];
  config: { url?: string };
  active: boolean;
}

interface DeliveryJson {
  notificationId: number;
  subscriptionId: string;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  notification?: NotificationJson;
  subscription?: SubscriptionJson;
}

/** Spec §6.5: the generic notification and subscription APIs, and webhook delivery by topic. */
describe('/notifications and /notifications/subscriptions', () => {
  let stack: Stack;
  let orders: Receiver;
  let invoices: Receiver;
  let foreign: Receiver;
  let deploys: Receiver;
  let otherAuth: string;
  const clock = new ManualClock(Date.UTC(2026, 7, 3, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({
      name: 'notifications',
      clock,
      sandbox: { clock: () => clock.now() },
      env: { JUNCTION_EVENT_RETRIES: '1' },
    });
    [orders, invoices, foreign, deploys] = await Promise.all([
      new Receiver().start(),
      new Receiver().start(),
      new Receiver().start(),
      new Receiver().start(),
    ]);
    otherAuth = await otherOrganization(stack);
  });
  afterAll(async () => {
    await stack.close();
    await Promise.all([orders.close(), invoices.close(), foreign.close(), deploys.close()]);
  });

  const call = async <T>(method: string, path: string, body?: unknown, auth = stack.platformAuth) => {
    const headers: Record<string, string> = { authorization: auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const res = await fetch(`${stack.api}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const run = async (ms = 0) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
  };
  const json = { 'content-type': 'application/json' };
  const order = { severity: 'high', topic: 'orders', message: 'order 7 failed to sync', from: 'billing' };

  it('is protected: no credentials is a 401', async () => {
    const subscription = { channel: 'webhook', topics: ['orders'], config: { url: orders.url } };
    for (const [method, path, body] of [
      ['GET', '/notifications?topics[]=orders'],
      ['POST', '/notifications', order],
      ['GET', '/notifications/1'],
      ['PUT', '/notifications/1/acknowledge'],
      ['DELETE', '/notifications/1'],
      ['GET', '/notifications/subscriptions'],
      ['POST', '/notifications/subscriptions', subscription],
      ['GET', '/notifications/subscriptions/x'],
      ['DELETE', '/notifications/subscriptions/x'],
      ['POST', '/notifications/emails', { to: 'ops@example.com', subject: 'x', message: 'y' }],
    ] as const) {
      const init = body === undefined ? { method } : { method, headers: json, body: JSON.stringify(body) };
      expect((await fetch(`${stack.api}${path}`, init)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('creates, reads, searches, acknowledges and deletes a notification', async () => {
    const created = await call<NotificationJson>('POST', '/notifications', order);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ ...order, active: true, acknowledged: false });
    expect(created.body.createdDate).toBe(new Date(clock.now()).toISOString());
    const id = created.body.id;
    expect(Number.isInteger(id)).toBe(true);

    expect((await call('GET', `/notifications/${id}`)).body).toEqual(created.body);
    const other = await call<NotificationJson>('POST', '/notifications', { ...order, topic: 'invoices', severity: 'low' });
    const byTopic = await call<NotificationJson[]>('GET', '/notifications?topics[]=orders');
    expect(byTopic.body.map((n) => n.id)).toEqual([id]);
    const both = await call<NotificationJson[]>('GET', '/notifications?topics[]=orders&topics[]=invoices');
    expect(both.body.map((n) => n.id)).toEqual([id, other.body.id]);
    const where = encodeURIComponent(`topic in ('orders', 'invoices') and severity = 'low'`);
    expect((await call<NotificationJson[]>('GET', `/notifications?where=${where}`)).body.map((n) => n.id)).toEqual([
      other.body.id,
    ]);

    const acked = await call<NotificationJson>('PUT', `/notifications/${id}/acknowledge`);
    expect(acked).toMatchObject({ status: 200, body: { id, acknowledged: true } });
    const unacked = encodeURIComponent(`acknowledged = false`);
    expect((await call<NotificationJson[]>('GET', `/notifications?where=${unacked}`)).body.map((n) => n.id)).toEqual([
      other.body.id,
    ]);

    expect((await call('DELETE', `/notifications/${id}`)).status).toBe(200);
    expect((await call('GET', `/notifications/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/notifications/${id}`)).status).toBe(404);
  });

  it('refuses a search without a query, and bad notifications, with 400 saying what is expected', async () => {
    const bare = await call<{ message: string; code: string }>('GET', '/notifications');
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe('notification.search-missing');
    expect(bare.body.message).toContain('topics[]');

    const badWhere = await call<{ message: string }>('GET', `/notifications?where=${encodeURIComponent("colour='red'")}`);
    expect(badWhere.status).toBe(400);
    expect(badWhere.body.message).toContain('topic, severity and acknowledged');

    const severity = await call<{ message: string }>('POST', '/notifications', { ...order, severity: 'urgent' });
    expect(severity.status).toBe(400);
    expect(severity.body.message).toContain('severity');
    expect((await call('POST', '/notifications', { severity: 'low', message: 'no topic' })).status).toBe(400);
    expect((await call('POST', '/notifications')).status).toBe(400);
  });

  it('answers 404 for unknown notification ids, including -1 and non-numbers', async () => {
    for (const id of ['999999', '-1', 'abc', '99999999999']) {
      const res = await call<{ code: string }>('GET', `/notifications/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('notification.unknown');
    }
    expect((await call('PUT', '/notifications/999999/acknowledge')).status).toBe(404);
  });

  it('creates, lists, reads and deletes subscriptions; 400 for an empty body or a null url', async () => {
    const created = await call<SubscriptionJson>('POST', '/notifications/subscriptions', {
      channel: 'email',
      topics: ['orders'],
      config: { email: 'ops@example.com' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ channel: 'email', topics: ['orders'], active: true });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await call<SubscriptionJson[]>('GET', '/notifications/subscriptions');
    expect(listed.body.map((s) => s.id)).toContain(created.body.id);
    expect((await call('GET', `/notifications/subscriptions/${created.body.id}`)).body).toEqual(created.body);

    const empty = await call<{ message: string }>('POST', '/notifications/subscriptions', {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('channel');
    const noBody = await call('POST', '/notifications/subscriptions');
    expect(noBody.status).toBe(400);
    const nullUrl = await call<{ message: string }>('POST', '/notifications/subscriptions', {
      channel: 'webhook',
      topics: ['orders'],
      config: { url: null },
    });
    expect(nullUrl.status).toBe(400);
    expect(nullUrl.body.message).toContain('config.url');
    const noUrl = await call<{ message: string }>('POST', '/notifications/subscriptions', {
      channel: 'webhook',
      topics: ['orders'],
    });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.message).toContain('config.url');

    expect((await call('DELETE', `/notifications/subscriptions/${created.body.id}`)).status).toBe(200);
    const gone = await call<{ code: string }>('GET', `/notifications/subscriptions/${created.body.id}`);
    expect(gone).toMatchObject({ status: 404, body: { code: 'subscription.not-found' } });
    expect((await call('DELETE', `/notifications/subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await call('GET', '/notifications/subscriptions/no-such-id')).status).toBe(404);
  });

  it("delivers a notification to the topic's webhook subscribers only, not to other topics or organizations", async () => {
    const subscribe = (url: string, topics: string[], auth = stack.platformAuth) =>
      call<SubscriptionJson>('POST', '/notifications/subscriptions', { channel: 'webhook', topics, config: { url } }, auth);
    expect((await subscribe(orders.url, ['orders', 'refunds'])).status).toBe(200);
    expect((await subscribe(invoices.url, ['invoices'])).status).toBe(200);
    expect((await subscribe(foreign.url, ['orders'], otherAuth)).status).toBe(200);

    const posted = await call<NotificationJson>('POST', '/notifications', order);
    await run();

    expect(orders.received).toHaveLength(1);
    const [delivered] = orders.received;
    expect(JSON.parse(delivered?.body ?? '{}')).toEqual(posted.body);
    expect(delivered?.headers['content-type']).toBe('application/json');
    expect(delivered?.headers['elements-webhook-id']).toBeTruthy();
    expect(invoices.received).toHaveLength(0);
    expect(foreign.received).toHaveLength(0);

    // The other organization's own notification reaches its subscriber, and only it.
    await call('POST', '/notifications', order, otherAuth);
    await run();
    expect(foreign.received).toHaveLength(1);
    expect(orders.received).toHaveLength(1);
    // Nor does it see the first organization's notifications or subscriptions.
    expect((await call('GET', `/notifications/${posted.body.id}`, undefined, otherAuth)).status).toBe(404);
    const theirs = await call<SubscriptionJson[]>('GET', '/notifications/subscriptions', undefined, otherAuth);
    expect(theirs.body.map((s) => s.config.url)).toEqual([foreign.url]);
  });

  it('retries a failed webhook delivery on the account policy schedule (4 s first; one retry here)', async () => {
    invoices.respond(500);
    await call('POST', '/notifications', { ...order, topic: 'invoices' });
    await run();
    expect(invoices.received.map((r) => r.status)).toEqual([500]);
    await run(3_999);
    expect(invoices.received).toHaveLength(1);
    await run(1);
    expect(invoices.received.map((r) => r.status)).toEqual([500, 200]);
    expect(invoices.received[0]?.body).toBe(invoices.received[1]?.body);
    await run(60_000);
    expect(invoices.received).toHaveLength(2);
  });

  it('lists generic deliveries in the deliveries API, and PUT redelivers a queued one', async () => {
    const policy = (value: string | null) =>
      call('PATCH', '/accounts/settings', { 'notification.webhook.failure.policy': value });
    expect((await policy('queue')).status).toBe(200);
    invoices.respond(503);
    const posted = await call<NotificationJson>('POST', '/notifications', { ...order, topic: 'invoices' });
    await run();
    expect(invoices.received.at(-1)?.status).toBe(503);

    const where = encodeURIComponent(`channel='webhook' and status='queued' and config.url='${invoices.url}'`);
    const queued = await call<DeliveryJson[]>('GET', `/notifications/subscriptions/deliveries?hydrate=true&where=${where}`);
    expect(queued.body).toHaveLength(1);
    const [delivery] = queued.body;
    expect(delivery).toMatchObject({ notificationId: posted.body.id, status: 'queued', attempts: 1, lastResponseStatus: 503 });
    expect(delivery?.subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery?.notification).toEqual(posted.body);
    expect(delivery?.subscription).toMatchObject({ channel: 'webhook', config: { url: invoices.url } });

    const put = await call<DeliveryJson[]>('PUT', `/notifications/subscriptions/deliveries?where=${where}`);
    expect(put.body.map((d) => d.status)).toEqual(['retry']);
    await run();
    expect(invoices.received.at(-1)).toMatchObject({ status: 200 });
    expect(JSON.parse(invoices.received.at(-1)?.body ?? '{}')).toEqual(posted.body);
    expect((await policy(null)).status).toBe(200);

    const id = posted.body.id;
    const mine = await call<DeliveryJson[]>('GET', `/notifications/${id}/subscriptions/deliveries`);
    expect(mine.body).toMatchObject([{ notificationId: id, status: 'delivered', attempts: 1 }]);
    const sId = delivery?.subscriptionId ?? '';
    const one = await call<DeliveryJson[]>('GET', `/notifications/${id}/subscriptions/${sId}/deliveries`);
    expect(one.body).toMatchObject([{ notificationId: id, subscriptionId: sId }]);
    expect((await call('GET', `/notifications/${id}/subscriptions/1/deliveries`)).status).toBe(404);
    expect((await call('GET', `/notifications/${id}/subscriptions/deliveries`, undefined, otherAuth)).status).toBe(404);
  });

  it('deactivates a subscription after its last retry, queues later ones unattempted, and PUT revives both', async () => {
    const body = { channel: 'webhook', topics: ['deploys'], config: { url: deploys.url } };
    const subscription = (await call<SubscriptionJson>('POST', '/notifications/subscriptions', body)).body;
    deploys.respond(500, 500);
    const first = await call<NotificationJson>('POST', '/notifications', { ...order, topic: 'deploys' });
    await run();
    await run(4_000);
    expect(deploys.received.map((r) => r.status)).toEqual([500, 500]);
    const read = await call<SubscriptionJson>('GET', `/notifications/subscriptions/${subscription.id}`);
    expect(read.body.active).toBe(false);

    const second = await call<NotificationJson>('POST', '/notifications', { ...order, topic: 'deploys' });
    await run(60_000);
    expect(deploys.received).toHaveLength(2);
    const where = encodeURIComponent(`status='queued' and config.url='${deploys.url}'`);
    const queued = await call<(DeliveryJson & { lastError: string })[]>(
      'GET',
      `/notifications/subscriptions/deliveries?where=${where}`,
    );
    expect(queued.body.map((d) => [d.notificationId, d.attempts])).toEqual([
      [first.body.id, 2],
      [second.body.id, 0],
    ]);
    expect(queued.body[1]?.lastError).toContain('subscription was deactivated');

    await call('PUT', `/notifications/subscriptions/deliveries?where=${where}`);
    await run();
    const redelivered = deploys.received.slice(2).map((r) => (JSON.parse(r.body) as NotificationJson).id);
    expect(redelivered).toEqual([first.body.id, second.body.id]);
    expect(deploys.received.slice(2).map((r) => r.status)).toEqual([200, 200]);
    const revived = await call<SubscriptionJson>('GET', `/notifications/subscriptions/${subscription.id}`);
    expect(revived.body.active).toBe(true);
  });
});

/** A second organization with its own user, straight in the store; its platform credentials. */
async function otherOrganization(stack: Stack): Promise<string> {
  const other = { organization: newHexSecret(), user: newBase64Secret() };
  const { db } = stack.hub.services;
  const [org] = await db
    .insert(organizations)
    .values({ name: 'Other', secretHash: hashSecret(other.organization) })
    .returning();
  await db.insert(users).values({
    organizationId: org?.id ?? 0,
    email: 'other@example.com',
    firstName: 'O',
    lastName: 'Ther',
    secretHash: hashSecret(other.user),
  });
  return `User ${other.user}, Organization ${other.organization}`;
}
