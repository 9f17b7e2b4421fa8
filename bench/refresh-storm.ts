/**
 * Refresh storm: 1,000 concurrent hub calls on an expired access token, spread over two
 * Junction processes sharing one PostgreSQL database, against the sandbox. Counts the
 * token-endpoint calls the storm caused (the target is exactly one).
 *
 *   npx tsx bench/refresh-storm.ts [--calls 1000]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, provisionInstance } from './support.js';
import pino from 'pino';
import { startSandbox } from '../sandbox/src/server.js';
import { loadConfig } from '../src/config.js';
import { startHub } from '../src/start.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1] || 1000);

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: 0,
    autoConsent: true,
    logger: false,
    quotaLimits: { perSecond: 100_000, perMinute: 1_000_000, perDay: 10_000_000, tenantPerMinute: 1_000_000 },
  });
  const database = await freshDatabase('junction_storm');
  const env = {
    PORT: '0',
    JUNCTION_DATABASE_URL: database,
    JUNCTION_KEAP_URL: sandbox.url,
    JUNCTION_USER_SECRET: 'storm-user',
    JUNCTION_ORGANIZATION_SECRET: 'storm-org',
    JUNCTION_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    JUNCTION_QUOTA_SCALE: '1000',
  };
  const logger = pino({ level: 'silent' });
  const hubs = [
    await startHub(loadConfig({ ...env, JUNCTION_DATA_DIR: await mkdtemp(join(tmpdir(), 'storm-a-')) }), { logger }),
    await startHub(loadConfig({ ...env, JUNCTION_DATA_DIR: await mkdtemp(join(tmpdir(), 'storm-b-')) }), { logger }),
  ];
  const api = (i: number) => `${hubs[i]?.url}/elements/api-v2`;
  const { token } = await provisionInstance(api(0), 'User storm-user, Organization storm-org');
  const auth = `User storm-user, Element ${token}`;
  // Warm both hubs' instance caches, then expire every access token at the provider.
  for (const i of [0, 1]) await fetch(`${api(i)}/hubs/ecommerce/orders?pageSize=1`, { headers: { authorization: auth } });
  await fetch(`${sandbox.url}/_control/tokens/expire`, { method: 'POST' });
  const before = await stats(sandbox.url);

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: calls }, (_, n) =>
      fetch(`${api(n % 2)}/hubs/ecommerce/orders?pageSize=1`, { headers: { authorization: auth } }).then((r) => r.status),
    ),
  );
  const ms = performance.now() - started;
  const after = await stats(sandbox.url);
  const refreshes = after.tokenRequests.refresh_token - before.tokenRequests.refresh_token;
  const ok = results.filter((s) => s === 200).length;
  console.log(`# Refresh storm\n`);
  console.log('Command: `npx tsx bench/refresh-storm.ts --calls ' + calls + '`\n');
  console.log(`| calls | processes | succeeded | token-endpoint refreshes | refresh-token reuse | wall ms |`);
  console.log(`| --- | --- | --- | --- | --- | --- |`);
  console.log(`| ${calls} | 2 | ${ok} | ${refreshes} | ${after.refreshTokenReuse} | ${Math.round(ms)} |`);
  for (const hub of hubs) await hub.close();
  await sandbox.close();
}

interface Stats {
  tokenRequests: { refresh_token: number };
  refreshTokenReuse: number;
}

async function stats(sandbox: string): Promise<Stats> {
  return (await (await fetch(`${sandbox}/_control/stats`)).json()) as Stats;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
