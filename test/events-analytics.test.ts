import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

const MINUTE = 60_000;
const HOUR_9 = '2026-08-03T09:00:00Z';
const HOUR_10 = '2026-08-03T10:00:00Z';

/**
 * Spec §6.6: counts of events per interval, per instance and per account. Instance A has a
 * delivered and a failed (queued) event at 09:xx and a delivered one at 10:xx; instance B one
 * delivered at 10:xx.
 */
describe('GET /instances/events/analytics[/instances|/accounts]', () => {
  let stack: Stack;
  let receiver: Receiver;
  let a: ProvisionedInstance;
  let b: ProvisionedInstance;
  let accountId = 0;
  const clock = new ManualClock(Date.UTC(2026, 7, 3, 9, 0, 0));
  const range = `from=${encodeURIComponent('2026-08-03T08:00:00Z')}&to=${encodeURIComponent('2026-08-03T12:00:00Z')}`;

  beforeAll(async () => {
    stack = await startStack({
      name: 'events-analytics',
      clock,
      sandbox: { clock: () => clock.now() },
      env: { JUNCTION_EVENT_FAILURE_POLICY: 'queue' },
    });
    receiver = await new Receiver().start();
    const run = async (ms: number) => {
      clock.advance(ms);
      await stack.hub.services.events.runNow();
    };
    const poller = { 'event.poller.configuration': { orders: { pollDelay: 60 } } };

    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/4', { notes: 'a delivered' });
    clock.advance(1000);
    a = await provisionWithEvents(stack, receiver.url, poller);
    await run(0);
    receiver.respond(500);
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/5', { notes: 'a failed' });
    await run(MINUTE);
    clock.advance(58 * MINUTE);
    await backoffice(stack, 'PATCH', 'orders/6', { notes: 'both delivered' });
    clock.advance(1000);
    b = await provisionWithEvents(stack, receiver.url, poller);
    await run(MINUTE);
    expect(receiver.received.map((r) => r.status)).toEqual([200, 500, 200, 200]);
    accountId = (JSON.parse(receiver.received[0]?.body ?? '{}') as { message: { accountId: number } }).message.accountId;
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const get = async (path: string, auth = stack.platformAuth) => {
    const res = await fetch(`${stack.api}/instances/events/analytics${path}`, { headers: { authorization: auth } });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('is protected', async () => {
    expect((await fetch(`${stack.api}/instances/events/analytics`)).status).toBe(401);
    expect((await fetch(`${stack.api}/instances/events/analytics/instances`)).status).toBe(401);
    expect((await fetch(`${stack.api}/instances/events/analytics/accounts`)).status).toBe(401);
  });

  it('counts the organization\'s events per hour, with successes and failures', async () => {
    expect(await get(`?${range}&interval=hour`)).toEqual({
      status: 200,
      body: [
        { timestamp: HOUR_9, count: 2, success: 1, failed: 1 },
        { timestamp: HOUR_10, count: 2, success: 2, failed: 0 },
      ],
    });
    expect((await get(`?${range}&interval=day`)).body).toEqual([
      { timestamp: '2026-08-03T00:00:00Z', count: 4, success: 3, failed: 1 },
    ]);
  });

  it('with an Element token, counts only that instance', async () => {
    const auth = `${stack.platformAuth}, Element ${b.token}`;
    expect((await get(`?${range}&interval=hour`, auth)).body).toEqual([
      { timestamp: HOUR_10, count: 1, success: 1, failed: 0 },
    ]);
  });

  it('/instances splits the counts per instance', async () => {
    expect((await get(`/instances?${range}&interval=hour`)).body).toEqual([
      { timestamp: HOUR_9, instanceId: a.id, count: 2, success: 1, failed: 1 },
      { timestamp: HOUR_10, instanceId: a.id, count: 1, success: 1, failed: 0 },
      { timestamp: HOUR_10, instanceId: b.id, count: 1, success: 1, failed: 0 },
    ]);
  });

  it('/accounts counts per account, and refuses another organization\'s account with 403', async () => {
    const own = await get(`/accounts?${range}&interval=hour&accountIds[]=${accountId}`);
    expect(own.body).toEqual([
      { timestamp: HOUR_9, accountId, count: 2, success: 1, failed: 1 },
      { timestamp: HOUR_10, accountId, count: 2, success: 2, failed: 0 },
    ]);
    const foreign = await get(`/accounts?${range}&accountIds[]=${accountId}&accountIds[]=${accountId + 1}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'account.forbidden' });
    expect((foreign.body as { message: string }).message).toContain(String(accountId + 1));
  });

  it('refuses from after to, interval=second and dates that do not parse, with 400s that explain', async () => {
    const backwards = await get(`?from=2026-08-03T12:00:00Z&to=2026-08-03T08:00:00Z`);
    expect(backwards.status).toBe(400);
    expect((backwards.body as { message: string }).message).toContain('expected from <= to');
    const second = await get(`/instances?${range}&interval=second`);
    expect(second.status).toBe(400);
    expect((second.body as { message: string }).message).toContain('minute, hour, day, week, month');
    expect((await get(`/accounts?from=yesterday`)).status).toBe(400);
  });

  it('defaults to the last seven days by day, and an empty range is an empty array', async () => {
    expect((await get('')).body).toEqual([{ timestamp: '2026-08-03T00:00:00Z', count: 4, success: 3, failed: 1 }]);
    expect((await get('?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')).body).toEqual([]);
  });
});
