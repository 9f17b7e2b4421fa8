import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, hubGet, stats } from './support/calls.js';
import { TestClock } from './support/clock.js';
import { CLIENT_SECRET, LOG_DIR, provision, startStack, type Stack } from './support/stack.js';

/** Refreshes, failures and quota trouble log what happened, never a secret. */
describe('hub logs', () => {
  const clock = new TestClock();
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'log-secrets', clock, sandbox: { clock: () => clock.now() } });
  });
  afterAll(() => stack.close());

  it('hold no issued token or code, client secret, instance token or user secret', async () => {
    const instances = [await provision(stack), await provision(stack)];
    clock.advance(86_400_000 + 60_000);
    for (const instance of instances) expect((await hubGet(stack, instance)).status).toBe(200);
    await control(stack, 'POST', '/tokens/expire');
    await control(stack, 'POST', '/faults', { path: '/token', status: 503, times: 1 });
    await control(stack, 'POST', '/faults', { path: '/crm/rest/v1/orders', status: 429, times: 1 });
    for (const instance of instances) expect((await hubGet(stack, instance)).status).toBe(200);
    await control(stack, 'POST', '/grants/revoke');
    await control(stack, 'POST', '/tokens/expire');
    for (const instance of instances) expect((await hubGet(stack, instance)).status).toBe(401);

    const own = await readFile(stack.logFile, 'utf8');
    expect(own).toContain('provider tokens refreshed');
    const secrets = [
      ...(await stats(stack)).issued,
      ...instances.map((i) => i.token),
      stack.secrets.user,
      stack.secrets.organization,
      CLIENT_SECRET,
    ];
    for (const secret of secrets) expect(own.includes(secret), 'a secret in the hub log').toBe(false);
    // No suite's hub logs the client secret every suite uses.
    for (const file of await readdir(LOG_DIR)) {
      const text = await readFile(join(LOG_DIR, file), 'utf8');
      expect(text.includes(CLIENT_SECRET), `client secret in ${file}`).toBe(false);
    }
  });
});
