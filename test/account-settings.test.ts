import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { startStack, type Stack } from './support/stack.js';

const POLICY = 'notification.webhook.failure.policy';
const MINUTE = 60_000;

/** Spec §6.5: the account's failure policy, set through the accounts API and read by delivery. */
describe('account settings: /accounts/{accountId}/settings and /accounts/settings', () => {
  let stack: Stack;
  let receiver: Receiver;
  let accountId = 0;
  const clock = new ManualClock(Date.UTC(2026, 7, 3, 9, 0, 0));

  beforeAll(async () => {
    stack = await startStack({ name: 'account-settings', clock, sandbox: { clock: () => clock.now() } });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const call = async (method: string, path: string, body?: unknown, auth = stack.platformAuth) => {
    const res = await fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const run = async (ms: number) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
  };

  it('is protected', async () => {
    expect((await fetch(`${stack.api}/accounts/settings`)).status).toBe(401);
    expect((await fetch(`${stack.api}/accounts/1/settings`, { method: 'PATCH' })).status).toBe(401);
  });

  it('the account id is the one notifications carry as accountId; the default policy is retry', async () => {
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/4', { notes: 'for the account id' });
    clock.advance(1000);
    await provisionWithEvents(stack, receiver.url, { 'event.poller.configuration': { orders: { pollDelay: 60 } } });
    await run(0);
    const [notification] = receiver.accepted();
    accountId = (notification?.message as unknown as { accountId: number }).accountId;
    expect(accountId).toBeGreaterThan(0);

    expect(await call('GET', '/accounts/settings')).toEqual({ status: 200, body: { [POLICY]: 'retry' } });
    expect(await call('GET', `/accounts/${accountId}/settings`)).toEqual({ status: 200, body: { [POLICY]: 'retry' } });
  });

  it('refuses unknown or foreign accounts with 404 and bad settings with 400 that say what is expected', async () => {
    const foreign = await call('PATCH', `/accounts/${accountId + 1}/settings`, { [POLICY]: 'queue' });
    expect(foreign.status).toBe(404);
    expect(foreign.body['code']).toBe('account.not-found');
    expect(foreign.body['message']).toContain(`your account is ${accountId}`);
    expect((await call('GET', '/accounts/nope/settings')).status).toBe(404);

    const badValue = await call('PATCH', '/accounts/settings', { [POLICY]: 'drop' });
    expect(badValue.status).toBe(400);
    expect(badValue.body['code']).toBe('account.setting-invalid');
    expect(badValue.body['message']).toContain('expected retry or queue');
    const unknown = await call('POST', `/accounts/${accountId}/settings`, { 'notification.color': 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body['message']).toContain(`'notification.color' is not an account setting`);
    const empty = await call('PATCH', '/accounts/settings', {});
    expect(empty.status).toBe(400);
    expect(empty.body['message']).toContain(POLICY);
    expect((await call('GET', '/accounts/settings')).body).toEqual({ [POLICY]: 'retry' });
  });

  it('policy queue set through the API queues a failed delivery at once, without deactivating', async () => {
    const set = await call('PATCH', '/accounts/settings', { [POLICY]: 'queue' });
    expect(set).toEqual({ status: 200, body: { [POLICY]: 'queue' } });
    expect((await call('GET', `/accounts/${accountId}/settings`)).body).toEqual({ [POLICY]: 'queue' });

    receiver.received.length = 0;
    receiver.respond(503);
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/5', { notes: 'fails once' });
    await run(MINUTE);
    await run(10 * MINUTE);
    expect(receiver.received.map((r) => r.status)).toEqual([503]);
    const where = encodeURIComponent(`status='queued'`);
    const queued = await fetch(`${stack.api}/notifications/subscriptions/deliveries?hydrate=true&where=${where}`, {
      headers: { authorization: stack.platformAuth },
    });
    expect(await queued.json()).toMatchObject([{ status: 'queued', attempts: 1, subscription: { active: true } }]);

    // The subscription stays active: the next change is attempted (and accepted).
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/6', { notes: 'then succeeds' });
    await run(MINUTE);
    expect(receiver.received.map((r) => r.status)).toEqual([503, 200]);
  });

  it('null returns a setting to the default, through POST on the account id', async () => {
    expect(await call('POST', `/accounts/${accountId}/settings`, { [POLICY]: null })).toEqual({
      status: 200,
      body: { [POLICY]: 'retry' },
    });
  });
});
