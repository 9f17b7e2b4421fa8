import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Cipher } from '../src/crypto/cipher.js';
import { readKeyFile } from '../src/crypto/keys.js';
import { control, hubGet } from './support/calls.js';
import { runScript } from './support/process.js';
import { provision, startPeer, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

const onPostgres = !!process.env['JUNCTION_TEST_DATABASE_URL'];
const newKey = () => randomBytes(32).toString('base64');
const keyId = (key: string) => new Cipher(Buffer.from(key, 'base64')).currentKeyId;

/** `npm run rotate-key` re-seals every value under a new key; hubs that know both keys keep serving. */
describe('encryption key rotation', () => {
  const stacks: Stack[] = [];
  afterAll(async () => {
    for (const stack of stacks.reverse()) await stack.close();
  });

  it.skipIf(!onPostgres)('on PostgreSQL, with traffic and refreshes running', async () => {
    const [oldKey, nextKey] = [newKey(), newKey()];
    const first = await startStack({ name: 'rotation-old', env: { JUNCTION_ENCRYPTION_KEY: oldKey } });
    const instances = [await provision(first), await provision(first)];
    // Every hub now learns the next key (rolled out), then the old-key-only hub goes away.
    const env = { JUNCTION_ENCRYPTION_KEY: nextKey, JUNCTION_PREVIOUS_ENCRYPTION_KEYS: oldKey };
    const hub = await startPeer(first, { name: 'rotation-both', env });
    stacks.push(hub);
    await first.hub.close();

    const statuses: number[] = [];
    let running = true;
    const traffic = (async () => {
      for (let round = 0; running || round < 3; round++) {
        if (round % 4 === 1) await control(hub, 'POST', '/tokens/expire');
        for (const instance of instances) statuses.push((await hubGet(hub, instance)).status);
      }
    })();
    const rotation = await runScript('scripts/rotate-key.ts', {
      ...env,
      JUNCTION_DATABASE_URL: hub.databaseUrl ?? '',
      JUNCTION_DATA_DIR: hub.dataDir,
    });
    running = false;
    await traffic;

    expect(rotation.stderr).toBe('');
    expect(rotation.stdout).toContain(`under key ${keyId(nextKey)}`);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(await keyIdsInStore(hub.databaseUrl ?? '')).toEqual([keyId(nextKey)]);
    const fresh = await startPeer(hub, { name: 'rotation-new', env: { JUNCTION_ENCRYPTION_KEY: nextKey } });
    stacks.push(fresh);
    for (const instance of instances) expect((await hubGet(fresh, instance)).status).toBe(200);
  });

  it('on the embedded store: refused while the hub runs, done once it is stopped', async () => {
    const stack = await startStack({ name: 'rotation-embedded', store: 'embedded' });
    const instance = await provision(stack);
    const before = await readKeyFile(stack.dataDir);
    const env = { JUNCTION_DATA_DIR: stack.dataDir };

    const locked = await runScript('scripts/rotate-key.ts', env);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('stop the hub');

    await stack.hub.close();
    const rotated = await runScript('scripts/rotate-key.ts', env);
    expect(rotated.code).toBe(0);
    const after = await readKeyFile(stack.dataDir);
    expect(after).toHaveLength(1);
    expect(after?.[0]?.equals(before?.[0] as Buffer)).toBe(false);

    const restarted = await startStack({
      name: 'rotation-embedded-after',
      store: 'embedded',
      dataDir: stack.dataDir,
      sandboxUrl: stack.sandboxUrl,
    });
    stacks.push(restarted, { ...stack, close: async () => stackSandboxClose(stack) });
    const again: ProvisionedInstance = { ...instance, hubAuth: `User ${restarted.secrets.user}, Element ${instance.token}` };
    expect((await hubGet(restarted, again)).status).toBe(200);
  });
});

/** The first stack's hub is closed already; only its sandbox is left to stop. */
async function stackSandboxClose(stack: Stack): Promise<void> {
  await stack.close().catch(() => undefined);
}

/** The distinct key ids of every envelope in the store. */
async function keyIdsInStore(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ secrets: Record<string, string>; token_secret: string }>(
      'select secrets, token_secret from instances',
    );
    const ids = rows.flatMap((r) => [...Object.values(r.secrets), r.token_secret].map((e) => Cipher.keyIdOf(e)));
    return [...new Set(ids)] as string[];
  } finally {
    await client.end();
  }
}
