import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../src/crypto/keys.js';
import { control, hubGet, stats } from './support/calls.js';
import { spawnHub } from './support/process.js';
import { provision, startPeer, startStack, type Stack } from './support/stack.js';

const onPostgres = !!process.env['JUNCTION_TEST_DATABASE_URL'];

/**
 * Several Junction processes on one PostgreSQL database spend each refresh token once. The
 * embedded store has one process by construction, so this suite runs on PostgreSQL only.
 */
describe.skipIf(!onPostgres)('token refresh across processes', () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    a = await startStack({ name: 'processes-a', sandbox: { quotaLimits: { perSecond: 1000 } } });
    b = await startPeer(a, { name: 'processes-b' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const refreshes = async () => (await stats(a)).tokenRequests.refresh_token;

  it('50 concurrent calls split over two processes on an expired token: one refresh', async () => {
    const instance = await provision(a);
    expect((await hubGet(b, instance)).status).toBe(200);
    const before = await refreshes();
    await control(a, 'POST', '/tokens/expire');

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => hubGet(i % 2 === 0 ? a : b, instance)),
    );

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect((await refreshes()) - before).toBe(1);
    expect((await stats(a)).refreshTokenReuse).toBe(0);
  });

  /*
   * What this proves: a process killed (SIGKILL) while it holds the row lock and waits on a
   * slow token endpoint releases the lock with its connection, and the survivor then refreshes
   * once, without waiting out the lock timeout. The slow request here fails (503) instead of
   * reaching the grant, so the refresh token is unspent. What it cannot prove: if the killed
   * process's request had reached Keap, the rotated token died with it and the survivor's
   * refresh gets invalid_grant (the instance turns invalid and must be re-authenticated).
   */
  it('a lock holder killed mid-refresh: the other process refreshes once, at once', async () => {
    const instance = await provision(a);
    const key = (await readFile(join(a.dataDir, KEY_FILE), 'utf8')).trim();
    const child = await spawnHub('processes-child', {
      JUNCTION_DATABASE_URL: a.databaseUrl ?? '',
      JUNCTION_DATA_DIR: `${a.dataDir}-child`,
      JUNCTION_ENCRYPTION_KEY: key,
      JUNCTION_USER_SECRET: a.secrets.user,
      JUNCTION_ORGANIZATION_SECRET: a.secrets.organization,
      JUNCTION_KEAP_URL: a.sandboxUrl,
    });
    await control(a, 'POST', '/tokens/expire');
    await control(a, 'POST', '/faults', { path: '/token', status: 503, delayMs: 5000, times: 1 });
    const before = await refreshes();

    const pending = fetch(`${child.api}/hubs/ecommerce/orders?pageSize=1`, {
      headers: { authorization: instance.hubAuth },
    }).catch(() => undefined);
    // The fault is taken once the child's token request is in flight, with the row locked.
    for (let i = 0; i < 100; i++) {
      const { faults } = (await control(a, 'GET', '/faults')) as { faults: unknown[] };
      if (faults.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.child.kill('SIGKILL');
    await pending;

    const started = Date.now();
    const survivor = await hubGet(a, instance);
    expect(survivor.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await refreshes()) - before).toBe(1);
    expect((await stats(a)).refreshTokenReuse).toBe(0);
  });
});
