import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, hubGet, instanceJson } from './support/calls.js';
import { backoffice, provisionWithEvents, SIGNING_KEY } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { authorizationCode, provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** Re-authentication as the `instance.invalid` message says keeps the instance's configuration. */
describe('re-authenticating an invalid instance', () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  let stack: Stack;
  let receiver: Receiver;
  beforeAll(async () => {
    stack = await startStack({ name: 'reauthenticate', clock, sandbox: { clock: () => clock.now() } });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const platform = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** Revokes every grant and lets the access token lapse, so the next hub call invalidates. */
  const invalidate = async (instance: ProvisionedInstance) => {
    await control(stack, 'POST', '/grants/revoke');
    clock.advance(DAY + MINUTE);
    const refused = await hubGet(stack, instance);
    expect(refused.body['code']).toBe('instance.invalid');
    return String(refused.body['message']);
  };

  it('PUT ?reAuthenticate=true with only a new code keeps events, callback, signature key and secrets', async () => {
    const instance = await provisionWithEvents(stack, receiver.url);
    await stack.hub.services.events.runNow();
    const message = await invalidate(instance);
    expect(message).toContain(`PUT /instances/${instance.id}?reAuthenticate=true`);
    expect(message).toContain(`PATCH /instances/${instance.id}`);

    const code = await authorizationCode(stack);
    const res = await platform('PUT', `/instances/${instance.id}?reAuthenticate=true`, {
      element: { key: 'infusionsoftecommerce' },
      providerData: { code },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: instance.id, token: instance.token, valid: true });
    expect(res.body['configuration']).toMatchObject({
      'event.notification.enabled': 'true',
      'event.vendor.type': 'polling',
      'event.notification.callback.url': receiver.url,
      'event.poller.refresh_interval': '1',
      'event.notification.signature.key': '********',
      'oauth.api.secret': '********',
    });
    expect((await hubGet(stack, instance)).status).toBe(200);

    receiver.received.length = 0;
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/3', { title: 'Edited after re-authentication' });
    clock.advance(MINUTE);
    await stack.hub.services.events.runNow();
    const orders = receiver.received.filter((r) => r.body.includes('"orders"'));
    expect(orders.length).toBeGreaterThan(0);
    for (const r of orders) {
      const expected = `sha256=${createHmac('sha256', SIGNING_KEY).update(r.body).digest('base64')}`;
      expect(r.headers['elements-webhook-signature']).toBe(expected);
    }
  });

  it('PATCH with a new code re-authenticates too, keeping the configuration', async () => {
    const instance = await provision(stack, 'infusionsoftecommerce', {
      configuration: {
        'oauth.api.key': 'fake_infusionsoft_client_id',
        'oauth.api.secret': 'fake_infusionsoft_client_secret',
        'oauth.callback.url': 'http://fake.oauth.callback/url',
        'event.notification.callback.url': receiver.url,
      },
    });
    await invalidate(instance);

    const res = await platform('PATCH', `/instances/${instance.id}`, { providerData: { code: await authorizationCode(stack) } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: instance.id, token: instance.token, valid: true });
    expect((await instanceJson(stack, instance.id))['configuration']).toMatchObject({
      'event.notification.callback.url': receiver.url,
    });
  });

  it('a PUT with only the element and a new code (no query) keeps the configuration too', async () => {
    const instance = await provisionWithEvents(stack, receiver.url);
    await invalidate(instance);

    const res = await platform('PUT', `/instances/${instance.id}`, {
      element: { key: 'infusionsoftecommerce' },
      providerData: { code: await authorizationCode(stack) },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: instance.id, token: instance.token, valid: true, eventsEnabled: true });
    expect(res.body['configuration']).toMatchObject({ 'event.notification.callback.url': receiver.url });
  });

  it('a plain PUT still replaces the configuration', async () => {
    const instance = await provisionWithEvents(stack, receiver.url);
    const res = await platform('PUT', `/instances/${instance.id}`, {
      element: { key: 'infusionsoftecommerce' },
      configuration: {
        'oauth.api.key': 'fake_infusionsoft_client_id',
        'oauth.api.secret': 'fake_infusionsoft_client_secret',
        'oauth.callback.url': 'http://fake.oauth.callback/url',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body['configuration']).not.toHaveProperty('event.notification.callback.url');
  });
});
