import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox/src/server.js';
import { newBase64Secret, newHexSecret } from '../src/crypto/tokens.js';
import { listHookRemovals } from '../src/store/hook-removals.js';
import { provisionWithEvents } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { eventually, Receiver } from './support/receiver.js';
import { freePort, provisionThrough, startHubProcess } from './support/process.js';
import { freshDatabase, startStack, type Stack } from './support/stack.js';

interface SandboxHook {
  key: string;
  status: string;
}

/**
 * The hooks of a deleted instance are queued for removal in the same transaction as the delete,
 * with the credentials the instance held: a hub that stops before Keap agrees to remove them
 * leaves the removal in the store, and the next hub on that store finishes it.
 */
describe('hook removal after a delete survives a stopped hub', () => {
  let sandbox: RunningSandbox;
  let receiver: Receiver;
  let first: Stack | undefined;
  let second: Stack | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false, hookDelayMs: 50 });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await receiver.close();
    await sandbox.close();
  });

  const hooks = async () => (await (await fetch(`${sandbox.url}/_control/hooks`)).json()) as SandboxHook[];
  const faults = (method: 'POST' | 'DELETE', rule?: unknown) =>
    fetch(`${sandbox.url}/_control/faults`, {
      method,
      ...(rule ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) } : {}),
    });

  it('removes the hooks at Keap from the next hub after the first stopped', async () => {
    first = await startStack({ name: 'hook-removal-1', sandboxUrl: sandbox.url, env: { JUNCTION_EVENTS_TICK_MS: '100' } });
    const instance = await provisionWithEvents(first, receiver.url, { 'event.vendor.type': 'webhook' });
    await eventually(async () => (await hooks()).filter((h) => h.status === 'Verified').length === 9);

    // Keap refuses every removal while the first hub runs.
    await faults('POST', { path: '/crm/rest/v1/hooks', method: 'DELETE', status: 503, times: 1000 });
    const res = await fetch(`${first.api}/instances/${instance.id}`, { method: 'DELETE', headers: { authorization: first.platformAuth } });
    expect(res.status).toBe(200);
    const db = first.hub.services.db;
    await eventually(async () => ((await listHookRemovals(db))[0]?.attempts ?? 0) >= 1);
    const [pending] = await listHookRemovals(db);
    expect(Object.keys(pending?.hooks ?? {})).toHaveLength(9);
    expect(pending?.lastError).toMatch(/503/);
    // The stored credentials are sealed, never in the clear.
    expect(JSON.stringify(pending?.secrets)).not.toMatch(/fake_infusionsoft_client_secret/);
    expect(await hooks()).toHaveLength(9);

    const { dataDir, databaseUrl, secrets } = first;
    await first.close();
    first = undefined;
    await faults('DELETE');

    second = await startStack({
      name: 'hook-removal-2',
      sandboxUrl: sandbox.url,
      dataDir,
      ...(databaseUrl ? { databaseUrl } : {}),
      env: {
        JUNCTION_EVENTS_TICK_MS: '100',
        JUNCTION_USER_SECRET: secrets.user,
        JUNCTION_ORGANIZATION_SECRET: secrets.organization,
      },
    });
    await eventually(async () => (await hooks()).length === 0, 30_000);
    await eventually(async () => (await listHookRemovals(second?.hub.services.db ?? db)).length === 0);
  }, 60_000);
});

/**
 * The same after SIGKILL: nothing of the killed process survives, so the hooks can only be
 * removed if the removal, queued with the delete, is in the store; the next process on the
 * store retries it once its backoff has passed.
 */
describe('hook removal after a delete survives a killed process', () => {
  let sandbox: RunningSandbox;
  let receiver: Receiver;
  let child: ChildProcess | undefined;
  const secrets = { user: newBase64Secret(), organization: newHexSecret() };
  const auth = `User ${secrets.user}, Organization ${secrets.organization}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false, hookDelayMs: 50 });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await receiver.close();
    await sandbox.close();
  });

  const hooks = async () => (await (await fetch(`${sandbox.url}/_control/hooks`)).json()) as SandboxHook[];
  const apiRequests = async () => ((await (await fetch(`${sandbox.url}/_control/stats`)).json()) as { apiRequests: number }).apiRequests;

  it('removes the hooks at Keap from the process started after the first was killed', async () => {
    const port = await freePort();
    const databaseUrl = await freshDatabase();
    const env = {
      PORT: String(port),
      JUNCTION_DATA_DIR: await mkdtemp(join(tmpdir(), 'junction-hook-removal-')),
      JUNCTION_KEAP_URL: sandbox.url,
      JUNCTION_USER_SECRET: secrets.user,
      JUNCTION_ORGANIZATION_SECRET: secrets.organization,
      JUNCTION_EVENTS_TICK_MS: '100',
      JUNCTION_LOG_LEVEL: 'warn',
      ...(databaseUrl ? { JUNCTION_DATABASE_URL: databaseUrl } : {}),
    };
    const api = `http://127.0.0.1:${port}/elements/api-v2`;
    child = await startHubProcess(env, api);
    const instance = await provisionThrough(api, auth, sandbox.url, receiver.url, { 'event.vendor.type': 'webhook' });
    await eventually(async () => (await hooks()).filter((h) => h.status === 'Verified').length === 9);

    // Keap refuses every removal until the process is dead.
    await fetch(`${sandbox.url}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/crm/rest/v1/hooks', method: 'DELETE', status: 503, times: 1000 }),
    });
    const before = await apiRequests();
    expect((await fetch(`${api}/instances/${instance}`, { method: 'DELETE', headers: { authorization: auth } })).status).toBe(200);
    await eventually(async () => (await apiRequests()) >= before + 9);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    child = undefined;
    expect(await hooks()).toHaveLength(9);

    await fetch(`${sandbox.url}/_control/faults`, { method: 'DELETE' });
    child = await startHubProcess(env, api);
    await eventually(async () => (await hooks()).length === 0, 30_000);
  }, 90_000);
});

/** A refused removal waits 5 s, then 10 s, …: each pass before the wait is over leaves it be. */
describe('hook removal backs off', () => {
  let stack: Stack;
  let receiver: Receiver;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));

  beforeAll(async () => {
    stack = await startStack({ name: 'hook-removal-backoff', clock, sandbox: { clock: () => clock.now(), hookDelayMs: 50 } });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const hooks = async () => (await (await fetch(`${stack.sandboxUrl}/_control/hooks`)).json()) as SandboxHook[];
  const pass = async (ms: number) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
    return (await listHookRemovals(stack.hub.services.db))[0];
  };

  it('retries a refused removal after 5 s, then after 10 s more', async () => {
    const instance = await provisionWithEvents(stack, receiver.url, { 'event.vendor.type': 'webhook' });
    await stack.hub.services.events.runNow();
    expect((await hooks()).filter((h) => h.status === 'Verified')).toHaveLength(9);
    await fetch(`${stack.sandboxUrl}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/crm/rest/v1/hooks', method: 'DELETE', status: 503, times: 1000 }),
    });
    await fetch(`${stack.api}/instances/${instance.id}`, { method: 'DELETE', headers: { authorization: stack.platformAuth } });

    const first = await pass(0);
    expect(first?.attempts).toBe(1);
    expect(first?.nextAttemptAt.getTime()).toBe(clock.now() + 5_000);
    expect((await pass(4_999))?.attempts).toBe(1);
    const second = await pass(1);
    expect(second?.attempts).toBe(2);
    expect(second?.nextAttemptAt.getTime()).toBe(clock.now() + 10_000);
    expect((await pass(9_999))?.attempts).toBe(2);

    await fetch(`${stack.sandboxUrl}/_control/faults`, { method: 'DELETE' });
    expect(await pass(1)).toBeUndefined();
    expect(await hooks()).toHaveLength(0);
  });
});
