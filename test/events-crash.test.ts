import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox/src/server.js';
import { newBase64Secret, newHexSecret } from '../src/crypto/tokens.js';
import { Receiver, eventually } from './support/receiver.js';
import { freePort, provisionThrough, startHubProcess } from './support/process.js';
import { freshDatabase } from './support/stack.js';

/**
 * A Junction process killed (SIGKILL) while it delivers an event: nothing in memory survives,
 * so the event can only arrive if the outbox in the store held it. The restarted process takes
 * the delivery over once the dead one's lease runs out.
 */
describe('delivery survives a killed process', () => {
  let sandbox: RunningSandbox;
  let receiver: Receiver;
  let child: ChildProcess | undefined;
  const secrets = { user: newBase64Secret(), organization: newHexSecret() };
  const auth = `User ${secrets.user}, Organization ${secrets.organization}`;
  let env: Record<string, string>;
  let api: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoConsent: true });
    receiver = await new Receiver().start();
    const port = await freePort();
    const databaseUrl = await freshDatabase();
    env = {
      PORT: String(port),
      JUNCTION_DATA_DIR: await mkdtemp(join(tmpdir(), 'junction-crash-')),
      JUNCTION_KEAP_URL: sandbox.url,
      JUNCTION_USER_SECRET: secrets.user,
      JUNCTION_ORGANIZATION_SECRET: secrets.organization,
      JUNCTION_EVENTS_TICK_MS: '100',
      JUNCTION_EVENT_TIMEOUT_MS: '1000',
      JUNCTION_LOG_LEVEL: 'warn',
      ...(databaseUrl ? { JUNCTION_DATABASE_URL: databaseUrl } : {}),
    };
    api = `http://127.0.0.1:${port}/elements/api-v2`;
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await receiver.close();
    await sandbox.close();
  });

  it('delivers the event after a restart, with the same eventId', async () => {
    child = await startHubProcess(env, api);
    await fetch(`${sandbox.url}/_control/backoffice/orders/7`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'changed before the instance' }),
    });
    receiver.respond(0); // the first delivery hangs: the process dies while it waits
    const instance = await provisionThrough(api, auth, sandbox.url, receiver.url);
    await eventually(() => receiver.received.length === 1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));

    child = await startHubProcess(env, api);
    await eventually(() => receiver.received.length >= 2, 30_000);
    const [first, second] = receiver.received.map((r) => JSON.parse(r.body) as { message: { eventId: string } });
    expect(second?.message.eventId).toBe(first?.message.eventId);
    await eventually(async () => {
      const res = await fetch(`${api}/instances/${instance}/events/${first?.message.eventId}`, { headers: { authorization: auth } });
      return ((await res.json()) as { status: string }).status === 'NOTIFIED';
    });
  }, 90_000);
});
