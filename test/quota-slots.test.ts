import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedGovernor } from '../src/hub/governor-shared.js';
import { openStore, type Store } from '../src/store/open.js';
import { TestClock } from './support/clock.js';

const LIMITS = { perSecond: 10, perMinute: 600 };

/**
 * Reserved slots of the shared governor, on an injected clock: two governors stand for two
 * processes on one store. Slots a process reserved and did not use must never add to what a
 * peer may send in a later second, and the sum of what both hand out stays within the limits
 * in every calendar second, whatever the interleaving.
 */
describe('shared quota governor: reserved slots', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-quota-slots-'));
    store = await openStore({ dataDir: dir, databaseUrl: process.env['JUNCTION_TEST_DATABASE_URL'] });
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a slot left over from one second is not usable in the next', async () => {
    const key = `slots-left-${Date.now()}`;
    const clock = new TestClock(Math.ceil(Date.now() / 60_000) * 60_000 + 100);
    const a = new SharedGovernor(store.db, clock);
    const b = new SharedGovernor(store.db, clock);

    await a.acquire(key, LIMITS); // reserves a batch of 2, uses 1
    clock.advance(1000);
    const second = Math.floor(clock.now() / 1000);
    for (let i = 0; i < LIMITS.perSecond; i++) await b.acquire(key, LIMITS);
    expect(Math.floor(clock.now() / 1000)).toBe(second); // b had the whole second to itself

    await a.acquire(key, LIMITS); // a's left-over slot was for the second before: a waits
    expect(Math.floor(clock.now() / 1000)).toBe(second + 1);
  });

  it('two governors bursting together hand out at most the limit per second and per minute', async () => {
    const key = `slots-burst-${Date.now()}`;
    const limits = { perSecond: 10, perMinute: 35 };
    const clock = new TestClock(Math.ceil(Date.now() / 60_000) * 60_000 + 300);
    const governors = [0, 1].map(() => new SharedGovernor(store.db, clock, 120_000));
    const sent: number[] = [];

    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await governors[i % 2]!.acquire(key, limits);
        sent.push(clock.now());
      }),
    );

    const perSecond = countBy(sent, (t) => Math.floor(t / 1000));
    const perMinute = countBy(sent, (t) => Math.floor(t / 60_000));
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(limits.perSecond);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(limits.perMinute);
    expect(sent).toHaveLength(50);
    // The minute limit set the pace: the calls spread over two minutes. A slot one governor
    // reserved and left unused stays counted until it reserves again (never the other way).
    const [first] = [...perMinute.values()];
    expect(perMinute.size).toBe(2);
    expect(first).toBeGreaterThanOrEqual(limits.perMinute - 2);
  });
});

function countBy(values: number[], keyOf: (value: number) => number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(keyOf(value), (counts.get(keyOf(value)) ?? 0) + 1);
  return counts;
}
