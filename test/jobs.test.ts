import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox } from '../sandbox/src/server.js';
import type { Job } from '../src/jobs/jobs.js';
import { ManualClock } from './support/clock.js';
import { startStack, type Stack } from './support/stack.js';

const onPostgres = Boolean(process.env['JUNCTION_TEST_DATABASE_URL']);
const WAIT = { timeout: 20_000, interval: 50 };

describe('the job queue', () => {
  const open: Stack[] = [];
  const stack = async (options: Parameters<typeof startStack>[0] = {}): Promise<Stack> => {
    const started = await startStack({ name: 'jobs', ...options });
    open.push(started);
    return started;
  };
  afterEach(async () => {
    for (const s of open.splice(0).reverse()) await s.close().catch(() => {});
  });
  // One hub for the tests that only need a running queue (each on a queue of its own): every
  // embedded hub costs seconds of PGlite start-up.
  let shared: Promise<Stack> | undefined;
  const sharedHub = async () => (await (shared ??= startStack({ name: 'jobs-shared' }))).hub;
  afterAll(async () => {
    await (await shared)?.close();
  });

  it('handles a job sent once, exactly once, in batches', async () => {
    const hub = await sharedHub();
    const handled: string[] = [];
    const batches: number[] = [];
    await hub.jobs.define<{ n: number }>(
      'count',
      async (jobs) => {
        batches.push(jobs.length);
        handled.push(...jobs.map((job) => `${job.data.n}:${job.id}`));
      },
      { batchSize: 10, pollingIntervalSeconds: 0.5 },
    );

    for (let n = 0; n < 5; n += 1) await hub.jobs.send('count', { n });

    await vi.waitFor(() => expect(handled).toHaveLength(5), WAIT);
    // A few more polls find nothing left to run.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(new Set(handled).size).toBe(5);
    expect(handled.map((h) => h.split(':')[0]).sort()).toEqual(['0', '1', '2', '3', '4']);
    expect(batches.every((size) => size <= 10)).toBe(true);
  });

  it('drops a duplicate singletonKey on a deduplicating queue', async () => {
    const hub = await sharedHub();
    await hub.jobs.define('dedup', async () => {}, { policy: 'short' });
    // Deferred, so the first is still queued (not running) when the second arrives.
    const startAfter = new Date(Date.now() + 60_000);
    const send = (key: string) => hub.jobs.send('dedup', {}, { singletonKey: key, startAfter });
    expect(await send('instance-1')).toEqual(expect.any(String));
    expect(await send('instance-1')).toBeNull();
    expect(await send('instance-2')).toEqual(expect.any(String));
  });

  it('retries a failing job with growing delays on the clock, then succeeds', async () => {
    const clock = new ManualClock();
    const { hub } = await stack({ clock });
    const attempts: { retryCount: number; at: number }[] = [];
    await hub.jobs.define<{ key: string }>(
      'flaky',
      async ([job]) => {
        attempts.push({ retryCount: job?.retryCount ?? -1, at: clock.now() });
        if (attempts.length < 3) throw new Error('provider unavailable');
      },
      { retryLimit: 3, retryDelaySeconds: 10, retryBackoff: true, pollingIntervalSeconds: 1 },
    );
    const sent = clock.now();
    await hub.jobs.send('flaky', { key: 'x' });

    await tickUntil(clock, () => attempts.length === 1);
    // First retry after 10–20 s (delay × 1 to 2, with jitter); the second after 20–40 s.
    await clock.tick(9_000);
    expect(attempts).toHaveLength(1);
    await tickUntil(clock, () => attempts.length === 2);
    const firstGap = attempts[1]!.at - attempts[0]!.at;
    expect(firstGap).toBeGreaterThanOrEqual(10_000);
    expect(firstGap).toBeLessThanOrEqual(22_000);

    await clock.tick(19_000);
    expect(attempts).toHaveLength(2);
    await tickUntil(clock, () => attempts.length === 3);
    const secondGap = attempts[2]!.at - attempts[1]!.at;
    expect(secondGap).toBeGreaterThanOrEqual(20_000);
    expect(secondGap).toBeLessThanOrEqual(42_000);
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    expect(attempts[0]!.at - sent).toBeLessThan(2_000);

    // Succeeded: no fourth attempt however long we wait.
    await clock.tick(120_000);
    expect(attempts).toHaveLength(3);
  });

  it('sends scheduled jobs on a cron expression, by the clock', async () => {
    const clock = new ManualClock();
    const { hub } = await stack({ clock });
    const runs: number[] = [];
    await hub.jobs.define('sweep', async () => void runs.push(clock.now()), { pollingIntervalSeconds: 1 });
    await hub.jobs.schedule('sweep', '* * * * *', { scope: 'all' });
    await expect(hub.jobs.schedule('sweep', 'FREQ=MINUTELY')).rejects.toThrow(/cron expression/);

    await tickUntil(clock, () => runs.length >= 2, 5 * 60_000);
    // The clock moves in steps, so runs are not exactly 60 s apart; each must fall in a
    // minute of its own.
    const minutes = runs.slice(0, 2).map((t) => Math.floor(t / 60_000));
    expect(minutes[1]).toBeGreaterThan(minutes[0]!);
  });

  it('retries only the jobs a batch handler reports as failed', async () => {
    const hub = await sharedHub();
    const seen: string[] = [];
    await hub.jobs.define<{ name: string }>(
      'partial',
      async (jobs) => {
        seen.push(...jobs.map((job) => `${job.data.name}#${job.retryCount}`));
        const bad = jobs.filter((job) => job.data.name === 'bad' && job.retryCount === 0);
        return { failed: bad.map((job) => ({ id: job.id, error: 'rejected by provider' })) };
      },
      { batchSize: 5, retryLimit: 1, retryDelaySeconds: 0, pollingIntervalSeconds: 0.5 },
    );
    await hub.jobs.send('partial', { name: 'good' });
    await hub.jobs.send('partial', { name: 'bad' });

    await vi.waitFor(() => expect(seen).toContain('bad#1'), WAIT);
    expect(seen.filter((s) => s.startsWith('good'))).toEqual(['good#0']);
  });

  it('keeps a job queued across a restart and runs it after', async () => {
    const sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false });
    try {
      const ran: Job<{ note: string }>[] = [];
      const first = await startStack({ name: 'jobs-restart-1', sandboxUrl: sandbox.url });
      await first.hub.jobs.define<{ note: string }>('later', async (jobs) => {
        ran.push(...jobs);
      });
      // Not due until well after this hub has closed, so only the next one can run it.
      const startAfter = new Date(Date.now() + 4_000);
      const id = await first.hub.jobs.send('later', { note: 'kept' }, { startAfter });
      await first.close();
      expect(ran).toHaveLength(0);

      const second = await stack({
        name: 'jobs-restart-2',
        sandboxUrl: sandbox.url,
        dataDir: first.dataDir,
        ...(first.databaseUrl ? { databaseUrl: first.databaseUrl } : {}),
      });
      await second.hub.jobs.define<{ note: string }>(
        'later',
        async (jobs) => {
          ran.push(...jobs);
        },
        { pollingIntervalSeconds: 0.5 },
      );
      await vi.waitFor(() => expect(ran.map((job) => job.id)).toEqual([id]), WAIT);
      expect(ran[0]?.data).toEqual({ note: 'kept' });
    } finally {
      await sandbox.close();
    }
  });

  it.skipIf(!onPostgres)('runs each job once when two hubs share one PostgreSQL database', async () => {
    const a = await stack({ name: 'jobs-node-a' });
    const b = await stack({ name: 'jobs-node-b', sandboxUrl: a.sandboxUrl, ...(a.databaseUrl ? { databaseUrl: a.databaseUrl } : {}) });
    const runs: { node: string; id: string }[] = [];
    for (const [node, s] of [['a', a], ['b', b]] as const) {
      await s.hub.jobs.define(
        'shared',
        async (jobs) => {
          runs.push(...jobs.map((job) => ({ node, id: job.id })));
          // Long enough that both nodes are busy at once.
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
        { batchSize: 3, concurrency: 2, pollingIntervalSeconds: 0.5 },
      );
    }

    const ids = new Set<string>();
    for (let n = 0; n < 40; n += 1) {
      const id = await (n % 2 ? a : b).hub.jobs.send('shared', { n });
      if (id) ids.add(id);
    }

    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(40), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(runs).toHaveLength(40);
    expect(new Set(runs.map((r) => r.id))).toEqual(ids);
  });

  it('lets an in-flight job finish when the hub closes', async () => {
    const { hub } = await stack();
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    await hub.jobs.define(
      'slow',
      async () => {
        events.push('job started');
        started();
        await gate;
        events.push('job finished');
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await hub.jobs.send('slow', {});
    await running;

    const closing = hub.close().then(() => events.push('hub closed'));
    setTimeout(release, 300);
    await closing;
    expect(events).toEqual(['job started', 'job finished', 'hub closed']);
  });
});

/** Moves the clock a second at a time until the condition holds (polls fire on the clock). */
async function tickUntil(clock: ManualClock, done: () => boolean, limitMs = 120_000): Promise<void> {
  for (let moved = 0; !done(); moved += 1_000) {
    if (moved > limitMs) throw new Error(`condition not met within ${limitMs} ms of clock time`);
    await clock.tick(1_000);
    // Handlers run outside the tick; give them a moment of real time to report.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
