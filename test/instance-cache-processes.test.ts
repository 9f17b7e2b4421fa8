import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/receiver.js';
import { provision, startPeer, startStack, type Stack } from './support/stack.js';

const onPostgres = !!process.env['JUNCTION_TEST_DATABASE_URL'];

/**
 * Hub calls read the instance behind an Element token from memory. Two hubs on one PostgreSQL
 * database: a change made through one must reach the cache of the other, or a disabled or
 * deleted instance would go on calling its provider there. The embedded store has one
 * process by construction, so this suite runs on PostgreSQL only.
 */
describe.skipIf(!onPostgres)('instance cache across processes', () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    a = await startStack({ name: 'cache-a' });
    b = await startPeer(a, { name: 'cache-b' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /*
   * What this proves: b has the instance cached (it answered a hub call), then a disables,
   * enables and deletes it; b's next calls follow each change (403, 200, 401) within the
   * time a notice takes, without a restart. Without the notices b keeps answering 200.
   */
  it('a disable, enable and delete through one process reach the other', async () => {
    const instance = await provision(a);
    const hubCall = async (stack: Stack) => {
      const headers = { authorization: instance.hubAuth };
      return (await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=1`, { headers })).status;
    };
    const platform = (method: string, path: string) => {
      const headers = { authorization: a.platformAuth };
      return fetch(`${a.api}/instances/${instance.id}${path}`, { method, headers });
    };
    expect(await hubCall(b)).toBe(200);

    expect((await platform('DELETE', '/enabled')).status).toBe(200);
    await eventually(async () => (await hubCall(b)) === 403, 5_000);

    expect((await platform('PUT', '/enabled')).status).toBe(200);
    await eventually(async () => (await hubCall(b)) === 200, 5_000);

    expect((await platform('DELETE', '')).status).toBeLessThan(300);
    await eventually(async () => (await hubCall(b)) === 401, 5_000);
    expect(await hubCall(a)).toBe(401);
  }, 60_000);
});
