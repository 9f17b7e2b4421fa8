import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents, SIGNING_KEY } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { startStack, type Stack } from './support/stack.js';

describe('event delivery: retries, queue, redelivery', () => {
  let stack: Stack;
  let receiver: Receiver;
  const clock = new ManualClock(Date.UTC(2026, 4, 5, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({
      name: 'events-delivery',
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
  const platform = (path: string, method = 'GET') =>
    fetch(`${stack.api}${path}`, { method, headers: { authorization: stack.platformAuth } });

  /** An instance whose first poll finds one order changed just before it was created. */
  async function instanceWithOneChange(orderId: number) {
    clock.advance(1000);
    await backoffice(stack, 'PATCH', `orders/${orderId}`, { notes: 'changed' });
    clock.advance(1000);
    const instance = await provisionWithEvents(stack, receiver.url, {
      'event.poller.configuration': { orders: { pollDelay: 60 } },
    });
    return instance;
  }

  it('sends a failing callback the same event and signature until it succeeds, 4 s then 16 s apart (spec §6.5: 2^(2x) s)', async () => {
    receiver.respond(500, 503);
    const instance = await instanceWithOneChange(5);
    await run(0);
    expect(receiver.received.map((r) => r.status)).toEqual([500]);
    await run(3_000);
    expect(receiver.received).toHaveLength(1);
    await run(1_000);
    expect(receiver.received.map((r) => r.status)).toEqual([500, 503]);
    await run(16_000);
    expect(receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);

    const bodies = receiver.received.map((r) => r.body);
    expect(new Set(bodies).size).toBe(1);
    const eventIds = bodies.map((b) => (JSON.parse(b) as { message: { eventId: string } }).message.eventId);
    expect(new Set(eventIds).size).toBe(1);
    const webhookIds = receiver.received.map((r) => r.headers['elements-webhook-id']);
    expect(new Set(webhookIds).size).toBe(3);
    for (const r of receiver.received) {
      expect(r.headers['elements-webhook-signature']).toBe(
        `sha256=${createHmac('sha256', SIGNING_KEY).update(r.body).digest('base64')}`,
      );
    }
    const event = (await (await platform(`/instances/${instance.id}/events/${eventIds[0]}`)).json()) as { status: string };
    expect(event.status).toBe('NOTIFIED');
    await platform(`/instances/${instance.id}`, 'DELETE');
  });

  it('queues a delivery after the last retry, lists it and redelivers it on PUT', async () => {
    receiver.received.length = 0;
    receiver.respond(500, 500, 500);
    const instance = await instanceWithOneChange(6);
    await run(0);
    await run(4_000);
    await run(16_000);
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500]);
    await run(600_000);
    expect(receiver.received).toHaveLength(3);

    const where = encodeURIComponent(`channel='webhook' and status='queued' and config.url='${receiver.url}'`);
    const queued = (await (await platform(`/notifications/subscriptions/deliveries?where=${where}&hydrate=true`)).json()) as {
      notificationId: string;
      status: string;
      subscription: { config: { url: string } };
    }[];
    expect(queued).toHaveLength(1);
    expect(queued[0]?.subscription.config.url).toBe(receiver.url);
    const eventId = queued[0]?.notificationId as string;
    const pending = (await (await platform(`/instances/${instance.id}/events/${eventId}`)).json()) as { status: string };
    expect(pending.status).toBe('DISPATCHED');

    const put = await platform(`/notifications/subscriptions/deliveries?where=${where}`, 'PUT');
    expect(put.status).toBe(200);
    await stack.hub.services.events.runNow();
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    const after = (await (await platform(`/instances/${instance.id}/events/${eventId}`)).json()) as { status: string };
    expect(after.status).toBe('NOTIFIED');
    const none = (await (await platform(`/notifications/subscriptions/deliveries?where=${where}`)).json()) as unknown[];
    expect(none).toEqual([]);
  });

  it('refuses a where it cannot apply, and is protected', async () => {
    expect((await platform(`/notifications/subscriptions/deliveries?where=${encodeURIComponent("color='red'")}`)).status).toBe(400);
    expect((await fetch(`${stack.api}/notifications/subscriptions/deliveries`)).status).toBe(401);
  });
});
