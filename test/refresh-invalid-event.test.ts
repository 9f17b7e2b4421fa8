import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, hubGet, instanceJson } from './support/calls.js';
import { provisionWithEvents, SIGNING_KEY } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { provision, startStack, type Stack } from './support/stack.js';

const DAY = 86_400_000;

/** Issue 4 point 5: a refused grant (`invalid_grant`) tells an app with events on, once. */
describe('an instance invalidated by invalid_grant notifies its app', () => {
  let stack: Stack;
  let receiver: Receiver;
  const clock = new ManualClock(Date.UTC(2026, 8, 1, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({
      name: 'refresh-invalid-event',
      clock,
      sandbox: { clock: () => clock.now() },
      // Only runNow works the event pipeline, so no poll refreshes the token behind the test's back.
      env: { JUNCTION_EVENTS_TICK_MS: '3600000' },
    });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  it('marks it valid:false, answers a clear 401 and sends exactly one signed instance event', async () => {
    const instance = await provisionWithEvents(stack, receiver.url);
    const quiet = await provision(stack);
    await stack.hub.services.events.runNow();
    expect(receiver.received).toEqual([]);

    await control(stack, 'POST', '/grants/revoke');
    clock.advance(DAY + 60_000);
    const refused = await hubGet(stack, instance);
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('instance.invalid');
    expect(refused.body['message']).toContain('must be re-authenticated');
    expect((await instanceJson(stack, instance.id))['valid']).toBe(false);
    expect((await hubGet(stack, instance)).status).toBe(401);
    // An instance without events turns invalid silently.
    expect((await hubGet(stack, quiet)).status).toBe(401);

    await stack.hub.services.events.runNow();
    clock.advance(60_000);
    await stack.hub.services.events.runNow();

    expect(receiver.received).toHaveLength(1);
    const [notification] = receiver.received;
    const body = notification?.body ?? '';
    expect(notification?.headers['elements-webhook-signature']).toBe(
      `sha256=${createHmac('sha256', SIGNING_KEY).update(body).digest('base64')}`,
    );
    const message = (JSON.parse(body) as { message: Record<string, unknown> }).message;
    expect(message).toMatchObject({
      instanceId: instance.id,
      elementKey: 'infusionsoftecommerce',
      raw: {
        objectType: 'instance',
        instance: { id: instance.id, valid: false },
        reason: 'invalid_grant',
        message: expect.stringContaining(`PUT /instances/${instance.id}?reAuthenticate=true`),
      },
      events: [{ objectType: 'instance', objectId: String(instance.id), eventType: 'UPDATED' }],
    });

    const res = await fetch(`${stack.api}/instances/${instance.id}/events/${String(message['eventId'])}`, {
      headers: { authorization: stack.platformAuth },
    });
    expect(await res.json()).toMatchObject({ status: 'NOTIFIED', source: 'platform' });
  });
});
