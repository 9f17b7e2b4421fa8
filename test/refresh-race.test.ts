import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, hubGet, instanceJson, stats } from './support/calls.js';
import { TestClock } from './support/clock.js';
import { provision, startStack, type Stack } from './support/stack.js';

const HOUR = 3_600_000;

/** However many callers need a fresh token at once, the token endpoint is called once. */
describe('token refresh races (one process)', () => {
  const clock = new TestClock();
  let stack: Stack;
  beforeAll(async () => {
    // Quotas are another suite's subject: a roomy spike limit keeps their 429s out of this one.
    const sandbox = { clock: () => clock.now(), quotaLimits: { perSecond: 1000 } };
    stack = await startStack({ name: 'refresh-race', clock, sandbox });
  });
  afterAll(() => stack.close());

  const refreshes = async () => (await stats(stack)).tokenRequests.refresh_token;

  it('50 concurrent calls on an expired token: one refresh, all succeed', async () => {
    const instance = await provision(stack);
    const before = await refreshes();
    clock.advance(25 * HOUR);

    const results = await Promise.all(Array.from({ length: 50 }, () => hubGet(stack, instance)));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect((await refreshes()) - before).toBe(1);
    expect((await stats(stack)).refreshTokenReuse).toBe(0);
  });

  it('50 concurrent 401s from the provider: one refresh, all succeed', async () => {
    const instance = await provision(stack);
    expect((await hubGet(stack, instance)).status).toBe(200);
    const before = await refreshes();
    await control(stack, 'POST', '/tokens/expire');

    const results = await Promise.all(Array.from({ length: 50 }, () => hubGet(stack, instance)));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect((await refreshes()) - before).toBe(1);
    expect((await stats(stack)).refreshTokenReuse).toBe(0);
  });

  it('three token lifetimes of traffic: every refresh token is used once', async () => {
    await control(stack, 'PUT', '/lifetimes', { accessTokenSeconds: 3600 });
    const instance = await provision(stack);
    const before = await refreshes();

    for (let minutes = 10; minutes <= 180; minutes += 10) {
      clock.advance(10 * 60_000);
      const results = await Promise.all(Array.from({ length: 5 }, () => hubGet(stack, instance)));
      expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    }

    const spent = (await refreshes()) - before;
    expect(spent).toBeGreaterThanOrEqual(3);
    expect(spent).toBeLessThanOrEqual(4);
    expect((await stats(stack)).refreshTokenReuse).toBe(0);
    const json = await instanceJson(stack, instance.id);
    const configuration = json['configuration'] as Record<string, string>;
    expect(json['valid']).toBe(true);
    expect(Number(configuration['oauth.user.refresh_time'])).toBeGreaterThan(clock.now() - HOUR);
    expect(Number(configuration['oauth.user.token.expires_at'])).toBeGreaterThan(clock.now());
    await control(stack, 'PUT', '/lifetimes', { accessTokenSeconds: 86_400 });
  });

  it('a refresh answered without refresh_token keeps the one held', async () => {
    await control(stack, 'PUT', '/refresh-rotation', { rotate: false });
    try {
      const instance = await provision(stack);
      const before = await refreshes();
      for (let day = 1; day <= 3; day++) {
        clock.advance(25 * HOUR);
        expect((await hubGet(stack, instance)).status).toBe(200);
      }
      expect((await refreshes()) - before).toBe(3);
      expect((await instanceJson(stack, instance.id))['valid']).toBe(true);
    } finally {
      await control(stack, 'PUT', '/refresh-rotation', { rotate: true });
    }
  });
});
