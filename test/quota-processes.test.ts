import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../src/crypto/keys.js';
import { stats } from './support/calls.js';
import { spawnHub } from './support/process.js';
import { provision, startStack, type Stack } from './support/stack.js';

const onPostgres = !!process.env['JUNCTION_TEST_DATABASE_URL'];

/** Keap's limits (25/s, 1,500/min per client) scaled down so the test reaches them in seconds. */
const SCALE = '0.4';
const PER_SECOND = 10;
const PER_MINUTE = 600;
const CALLS = 60;

/**
 * Two Junction processes on one PostgreSQL database share one quota governor per OAuth client:
 * together they never send Keap more than its spike limit in a second. The sandbox is the
 * judge: it refuses (and counts) every call over its limit, which is the same as the hub's.
 * The embedded store has one process by construction, so this suite runs on PostgreSQL only.
 */
describe.skipIf(!onPostgres)('quota governor across processes', () => {
  let a: Stack;
  let b: Awaited<ReturnType<typeof spawnHub>>;
  beforeAll(async () => {
    a = await startStack({
      name: 'quota-a',
      sandbox: { quotaLimits: { perSecond: PER_SECOND, perMinute: PER_MINUTE } },
      env: { JUNCTION_QUOTA_SCALE: SCALE },
    });
    const key = (await readFile(join(a.dataDir, KEY_FILE), 'utf8')).split('\n')[0]?.trim() ?? '';
    b = await spawnHub('quota-b', {
      JUNCTION_DATABASE_URL: a.databaseUrl ?? '',
      JUNCTION_DATA_DIR: `${a.dataDir}-b`,
      JUNCTION_ENCRYPTION_KEY: key,
      JUNCTION_USER_SECRET: a.secrets.user,
      JUNCTION_ORGANIZATION_SECRET: a.secrets.organization,
      JUNCTION_KEAP_URL: a.sandboxUrl,
      JUNCTION_QUOTA_SCALE: SCALE,
    });
  });
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await a?.close();
  });

  /*
   * What this proves: 60 concurrent calls, half through each process, at six times the
   * per-second limit, all succeed without one refusal from the sandbox for its spike or minute
   * limit, and without a retry (the sandbox saw exactly 60 calls); they took at least five
   * calendar seconds, so the limit, not luck, set the pace. Each process alone holding to 10/s
   * would have sent 20 in a second and drawn refusals.
   */
  it('two processes together stay under the per-second limit', async () => {
    const instance = await provision(a);
    const call = (api: string) =>
      fetch(`${api}/hubs/ecommerce/orders?pageSize=1`, { headers: { authorization: instance.hubAuth } }).then(
        async (res) => ({ status: res.status, body: await res.text() }),
      );
    await Promise.all([call(a.api), call(b.api)]); // both processes have the instance in hand
    const before = await stats(a);

    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => call(i % 2 === 0 ? a.api : b.api)),
    );
    const elapsed = Date.now() - started;

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const after = await stats(a);
    expect(after.quotaRefusals).toEqual(before.quotaRefusals);
    expect(after.apiRequests - before.apiRequests).toBe(CALLS);
    expect(elapsed).toBeGreaterThanOrEqual(((CALLS - 2 * PER_SECOND) / PER_SECOND) * 1000);
  }, 60_000);
});
