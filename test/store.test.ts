import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { hashSecret } from '../src/crypto/cipher.js';
import { newBase64Secret, newHexSecret } from '../src/crypto/tokens.js';
import { startHub } from '../src/start.js';
import { organizations, users } from '../src/store/schema.js';
import { startSandbox } from '../sandbox/src/server.js';
import { provision, startStack } from './support/stack.js';

describe('the store', () => {
  it('refuses a second process on the same embedded data folder, clearly', async () => {
    const stack = await startStack({ name: 'lock', store: 'embedded' });
    try {
      const config = loadConfig({ PORT: '0', JUNCTION_DATA_DIR: stack.dataDir, JUNCTION_LOG_LEVEL: 'silent' });
      await expect(startHub(config)).rejects.toThrow(/data folder .* is in use by another Junction process/);
    } finally {
      await stack.close();
    }
  });

  it('on a first start creates the organization, shows its secrets once, keeps them owner-only', async () => {
    const stack = await startStack({ name: 'first-start', generateSecrets: true });
    try {
      const generated = stack.hub.generatedSecrets;
      expect(generated?.organization).toMatch(/^[0-9a-f]{32}$/);
      expect(generated?.user).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      const file = join(stack.dataDir, 'secrets.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(generated);
      if (!stack.databaseUrl) {
        expect((await stat(join(stack.dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);
      }
      const res = await fetch(`${stack.api}/instances`, { headers: { authorization: stack.platformAuth } });
      expect(res.status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('keeps instances, their tokens and secrets across a restart of the embedded store', async () => {
    const sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false });
    const first = await startStack({ name: 'restart-1', store: 'embedded', sandboxUrl: sandbox.url });
    const instance = await provision(first);
    await first.close();
    const second = await startStack({
      name: 'restart-2',
      store: 'embedded',
      dataDir: first.dataDir,
      sandboxUrl: sandbox.url,
    });
    try {
      const res = await fetch(`${second.api}/hubs/ecommerce/products?pageSize=1`, {
        headers: { authorization: `User ${second.secrets.user}, Element ${instance.token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('elements-element-instance-id')).toBe(String(instance.id));
    } finally {
      await second.close();
      await sandbox.close();
    }
  });

  it('stores no secret in the clear: tokens, codes and client secrets are only ciphertext', async () => {
    const stack = await startStack({ name: 'at-rest' });
    try {
      const instance = await provision(stack);
      const dump = JSON.stringify(
        await stack.hub.services.db.execute(sql`select row_to_json(i)::text as row from instances i`),
      );
      const stats = (await (await fetch(`${stack.sandboxUrl}/_control/stats`)).json()) as { issued: string[] };
      expect(stats.issued.length).toBeGreaterThan(0);
      for (const secret of [...stats.issued, instance.token, 'fake_infusionsoft_client_secret', stack.secrets.user]) {
        expect(dump).not.toContain(secret);
      }
      expect(dump).toContain('jv1.');
    } finally {
      await stack.close();
    }
  });

  it("hides another organization's instances: 404 on the platform, 401 for its token", async () => {
    const stack = await startStack({ name: 'tenancy' });
    try {
      const instance = await provision(stack);
      const other = { organization: newHexSecret(), user: newBase64Secret() };
      const { db } = stack.hub.services;
      const [org] = await db.insert(organizations).values({ name: 'Other', secretHash: hashSecret(other.organization) }).returning();
      await db.insert(users).values({
        organizationId: org?.id ?? 0,
        email: 'other@example.com',
        firstName: 'O',
        lastName: 'Ther',
        secretHash: hashSecret(other.user),
      });
      const platform = `User ${other.user}, Organization ${other.organization}`;
      const get = await fetch(`${stack.api}/instances/${instance.id}`, { headers: { authorization: platform } });
      expect(get.status).toBe(404);
      const list = (await (await fetch(`${stack.api}/instances`, { headers: { authorization: platform } })).json()) as unknown[];
      expect(list).toEqual([]);
      const hub = await fetch(`${stack.api}/hubs/ecommerce/orders`, {
        headers: { authorization: `User ${other.user}, Element ${instance.token}` },
      });
      expect(hub.status).toBe(401);
      const mixed = await fetch(`${stack.api}/instances`, {
        headers: { authorization: `User ${other.user}, Organization ${stack.secrets.organization}` },
      });
      expect(mixed.status).toBe(401);
    } finally {
      await stack.close();
    }
  });
});
