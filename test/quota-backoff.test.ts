import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAdvice } from '../src/hub/retry.js';
import { control, hubGet, stats } from './support/calls.js';
import { TestClock } from './support/clock.js';
import { provision, startStack, type Stack } from './support/stack.js';

const headers = {
  dayAvailable: 'x-keap-product-quota-available',
  dayResetsAt: 'x-keap-product-quota-expiry-time',
  minuteAvailable: 'x-keap-product-throttle-available',
};

describe('429 advice', () => {
  const now = 1_700_000_010_000; // 30 s into a minute
  it('prefers Retry-After, then the daily quota reset, then the minute, then backoff', () => {
    expect(retryAdvice({ 'retry-after': '3' }, 1, now, headers)).toEqual({ ms: 3000, day: false });
    const day = { [headers.dayAvailable]: '0', [headers.dayResetsAt]: String(now + 3_600_000) };
    expect(retryAdvice(day, 1, now, headers)).toEqual({ ms: 3_600_000, day: true });
    const minute = retryAdvice({ [headers.minuteAvailable]: '0' }, 1, now, headers);
    expect(minute.ms).toBeGreaterThanOrEqual(30_000);
    expect(minute.ms).toBeLessThan(30_250);
    const third = retryAdvice({}, 3, now, headers);
    expect(third.ms).toBeGreaterThanOrEqual(1000);
    expect(third.ms).toBeLessThan(2000);
  });
});

/** Keap's limits are waited out within a budget; a spent daily quota is not called at all. */
describe('provider quotas', () => {
  const clock = new TestClock();
  let stack: Stack;
  beforeAll(async () => {
    const sandbox = { clock: () => clock.now(), quotaLimits: { perDay: 8 } };
    stack = await startStack({ name: 'quota-backoff', clock, sandbox });
  });
  afterAll(() => stack.close());

  it('a 429 without Retry-After is retried after an exponential backoff', async () => {
    const instance = await provision(stack);
    await control(stack, 'POST', '/faults', { path: '/crm/rest/v1/orders', status: 429, times: 2 });
    const sleeps = clock.sleeps.length;

    expect((await hubGet(stack, instance)).status).toBe(200);

    // The governor may also wait out the last few ms of a second before taking a slot (its
    // guard against a call landing in the next second); those short waits are not backoff.
    const waited = clock.sleeps.slice(sleeps).filter((ms) => ms >= 100);
    expect(waited).toHaveLength(2);
    expect(waited[0]).toBeGreaterThanOrEqual(250);
    expect(waited[1]).toBeGreaterThanOrEqual(500);
  });

  it('once the daily quota is spent, callers get 429 with Retry-After without calling Keap', async () => {
    const instance = await provision(stack);
    let last = await hubGet(stack, instance);
    for (let i = 0; i < 10 && last.status === 200; i++) last = await hubGet(stack, instance);
    const calls = (await stats(stack)).apiRequests;

    const refused = await hubGet(stack, instance);

    expect(refused.status).toBe(429);
    expect(refused.body['code']).toBe('quota.exhausted');
    const retryAfter = Number(refused.headers.get('retry-after'));
    const midnight = Math.ceil(clock.now() / 86_400_000) * 86_400_000;
    expect(Math.abs(retryAfter - (midnight - clock.now()) / 1000)).toBeLessThanOrEqual(2);
    expect((await stats(stack)).apiRequests).toBe(calls);
  });
});
