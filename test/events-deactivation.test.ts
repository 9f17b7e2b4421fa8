import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents, SIGNING_KEY } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver, type Received } from './support/receiver.js';
import { startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

const MINUTE = 60_000;

interface DeliveryJson {
  notificationId: string;
  subscriptionId: number;
  status: string;
  attempts: number;
  lastError: string | null;
  subscription?: { id: number; active: boolean; config: { url: string } };
}

/** Spec §6.5: after the last retry the subscription is deactivated, and PUT brings it back. */
describe('a subscription deactivated after the last retry', () => {
  let stack: Stack;
  let receiver: Receiver;
  let instance: ProvisionedInstance;
  const clock = new ManualClock(Date.UTC(2026, 6, 1, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({
      name: 'events-deactivation',
      clock,
      sandbox: { clock: () => clock.now() },
      env: { JUNCTION_EVENT_RETRIES: '2' },
    });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const run = async (ms: number) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
  };
  const platform = async <T>(path: string, method = 'GET'): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.api}${path}`, { method, headers: { authorization: stack.platformAuth } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const deliveries = async (where: string) =>
    (await platform<DeliveryJson[]>(`/notifications/subscriptions/deliveries?hydrate=true&where=${encodeURIComponent(where)}`)).body;
  const eventIdOf = (r: Received) => (JSON.parse(r.body) as { message: { eventId: string } }).message.eventId;
  const signed = (r: Received) =>
    r.headers['elements-webhook-signature'] === `sha256=${createHmac('sha256', SIGNING_KEY).update(r.body).digest('base64')}`;

  it('retries on the default schedule (4 s, 16 s), then deactivates the subscription', async () => {
    receiver.respond(500, 500, 500);
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/7', { notes: 'first change' });
    clock.advance(1000);
    instance = await provisionWithEvents(stack, receiver.url, { 'event.poller.configuration': { orders: { pollDelay: 60 } } });

    await run(0);
    await run(3_999);
    expect(receiver.received).toHaveLength(1);
    await run(1);
    expect(receiver.received).toHaveLength(2);
    await run(15_999);
    expect(receiver.received).toHaveLength(2);
    await run(1);
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500]);

    const [queued] = await deliveries(`status='queued'`);
    expect(queued).toMatchObject({ status: 'queued', attempts: 3, subscriptionId: instance.id });
    expect(queued?.subscription).toMatchObject({ id: instance.id, active: false, config: { url: receiver.url } });
  });

  it('queues a later event of that instance without attempting it, and keeps the account policy', async () => {
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/8', { notes: 'second change' });
    await run(MINUTE);
    await run(10 * MINUTE);

    expect(receiver.received).toHaveLength(3);
    const queued = await deliveries(`status='queued'`);
    expect(queued).toHaveLength(2);
    expect(queued[1]).toMatchObject({ status: 'queued', attempts: 0 });
    expect(queued[1]?.lastError).toContain('subscription was deactivated');
    expect((await platform<Record<string, string>>('/accounts/settings')).body).toEqual({
      'notification.webhook.failure.policy': 'retry',
    });
  });

  it('redelivers both on PUT with their original event ids and signatures, and reactivates', async () => {
    const queued = await deliveries(`status='queued'`);
    const where = encodeURIComponent(`channel='webhook' and status='queued' and config.url='${receiver.url}'`);
    const put = await platform<DeliveryJson[]>(`/notifications/subscriptions/deliveries?where=${where}`, 'PUT');
    expect(put.status).toBe(200);
    expect(put.body.map((d) => d.status)).toEqual(['retry', 'retry']);
    await stack.hub.services.events.runNow();

    const redelivered = receiver.received.slice(3);
    expect(redelivered.map((r) => r.status)).toEqual([200, 200]);
    // Redeliveries are sent side by side, so they may arrive in either order.
    expect(redelivered.map(eventIdOf).sort()).toEqual(queued.map((d) => d.notificationId).sort());
    expect(redelivered.every(signed)).toBe(true);
    expect(eventIdOf(receiver.received[0] as Received)).toBe(queued[0]?.notificationId);

    // Active again: the next change is sent at once.
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/9', { notes: 'third change' });
    await run(MINUTE);
    expect(receiver.received).toHaveLength(6);
    const [latest] = (await deliveries(`notificationId='${eventIdOf(receiver.received[5] as Received)}'`));
    expect(latest).toMatchObject({ status: 'delivered', attempts: 1, subscription: { active: true } });
  });

  it('shows one notification\'s deliveries: a notification is an event, a subscription its instance', async () => {
    const eventId = eventIdOf(receiver.received[0] as Received);
    const all = await platform<DeliveryJson[]>(`/notifications/${eventId}/subscriptions/deliveries`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject([{ notificationId: eventId, subscriptionId: instance.id, status: 'delivered' }]);
    const one = await platform<DeliveryJson[]>(`/notifications/${eventId}/subscriptions/${instance.id}/deliveries?hydrate=true`);
    expect(one.body).toMatchObject([{ notificationId: eventId, subscription: { id: instance.id, active: true } }]);

    const otherSubscription = await platform<{ message: string }>(`/notifications/${eventId}/subscriptions/${instance.id + 1}/deliveries`);
    expect(otherSubscription.status).toBe(404);
    expect(otherSubscription.body.message).toContain(`subscription ${instance.id + 1}`);
    expect((await platform(`/notifications/no-such-event/subscriptions/deliveries`)).status).toBe(404);
    expect((await platform(`/notifications/${eventId}/subscriptions/abc/deliveries`)).status).toBe(400);
    const huge = await platform<{ message: string }>(`/notifications/${eventId}/subscriptions/99999999999/deliveries`);
    expect(huge.status).toBe(400);
    expect(huge.body.message).toContain('at most 2147483647');
    expect((await fetch(`${stack.api}/notifications/${eventId}/subscriptions/deliveries`)).status).toBe(401);
  });
});
