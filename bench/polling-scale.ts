/**
 * Polling at scale: `--instances` Keap instances with polling on, every minute, served by one
 * hub on PostgreSQL. Are the sweeps on time? One instance is created through the OAuth flow
 * and the API; the others are copies of its row inserted straight into the store (the
 * benchmark measures the pipeline, not provisioning). After every instance's first sweep, the
 * poll states are read every second for `--minutes`: each time a resource's next poll moves,
 * a sweep started at (new next poll − interval), and its lag is that start minus the due time
 * it replaced. Writes `bench/results/polling-scale.md`.
 *
 *   npx tsx bench/polling-scale.ts [--instances 10000] [--minutes 3] [--tick 5000]
 *
 * The refresh interval is the smallest the configuration allows: 1 minute.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Cipher } from '../src/crypto/cipher.js';
import { secretContext } from '../src/instances/model.js';
import {
  cpuMicros,
  flags,
  freshDatabase,
  launch,
  machineLoad,
  provisionInstance,
  quantile,
  rssMb,
  waitFor,
} from './support.js';

const args = flags();
const count = Number(args.get('instances') ?? 10_000);
const minutes = Number(args.get('minutes') ?? 3);
const tickMs = Number(args.get('tick') ?? 5000);
const INTERVAL_MS = 60_000;
const HUB_PORT = 18712;
const ENCRYPTION_KEY = Buffer.alloc(32, 9);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const command = `npx tsx bench/polling-scale.ts --instances ${count} --minutes ${minutes} --tick ${tickMs}`;

async function main(): Promise<void> {
  console.log(command);
  const callback = createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  const callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  const sandbox = await launch([tsx, 'bench/keap-sandbox.ts', '1000'], /^(http:\S+)$/);
  const database = await freshDatabase('junction_polling');
  const hub = await startJunction(sandbox.match[1] ?? '', database);
  // Interrupted, the hub and the sandbox go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      hub.child.kill();
      sandbox.child.kill();
      process.exit(1);
    });
  }
  const db = new pg.Client({ connectionString: database });
  await db.connect();
  try {
    const first = await provision(hub.api, callbackUrl);
    const created = performance.now();
    await copyInstance(db, first, count - 1);
    console.log(`${count} instances in ${Math.round(performance.now() - created)} ms; waiting for every first sweep`);
    const warmup = await waitForFirstSweeps(db);
    console.log(`first sweeps done in ${(warmup / 1000).toFixed(1)} s; measuring ${minutes} min`);

    const load = await machineLoad();
    const cpuBefore = await cpuMicros(hub.pid);
    const sandboxCpuBefore = await cpuMicros(sandbox.child.pid ?? 0);
    const sample = await observe(db, hub.pid, minutes * 60_000);
    const hubCpu = (await cpuMicros(hub.pid)) - cpuBefore;
    const sandboxCpu = (await cpuMicros(sandbox.child.pid ?? 0)) - sandboxCpuBefore;
    await report({ ...sample, warmup, hubCpu, sandboxCpu, load });
  } finally {
    await db.end();
    hub.child.kill();
    await rm(hub.dataDir, { recursive: true, force: true });
    sandbox.child.kill();
    callback.close();
  }
}

async function startJunction(sandboxUrl: string, database: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'junction-polling-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(HUB_PORT),
    JUNCTION_PUBLIC_URL: `http://127.0.0.1:${HUB_PORT}`,
    JUNCTION_USER_SECRET: 'benchuser',
    JUNCTION_ORGANIZATION_SECRET: 'benchorg',
    JUNCTION_DATA_DIR: dataDir,
    JUNCTION_DATABASE_URL: database,
    JUNCTION_KEAP_URL: sandboxUrl,
    JUNCTION_QUOTA_SCALE: '10000',
    JUNCTION_EVENTS_TICK_MS: String(tickMs),
    JUNCTION_LOG_LEVEL: 'warn',
    JUNCTION_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
  };
  const child = spawn(tsx, ['src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const api = `http://127.0.0.1:${HUB_PORT}/elements/api-v2`;
  await waitFor(`${api}/hubs`);
  return { child, pid: child.pid ?? 0, api, dataDir };
}

/** An Online Sales instance through the OAuth flow, polling its orders every minute. */
async function provision(api: string, callbackUrl: string): Promise<number> {
  const created = await provisionInstance(api, 'User benchuser, Organization benchorg', {
    'event.notification.enabled': true,
    'event.vendor.type': 'polling',
    'event.notification.callback.url': callbackUrl,
    'event.poller.refresh_interval': '1',
  });
  return created.id;
}

/**
 * `n` copies of an instance row. Secrets are bound to their row's id, so each copy's are
 * opened with the original's id and sealed again with its own (as the hub's cipher does).
 */
async function copyInstance(db: pg.Client, id: number, n: number): Promise<void> {
  const cipher = new Cipher(ENCRYPTION_KEY);
  const { rows } = await db.query<Record<string, unknown> & { secrets: Record<string, string>; token_secret: string }>(
    'select * from instances where id = $1',
    [id],
  );
  const source = rows[0];
  if (!source) throw new Error(`instance ${id} not found`);
  const secrets = Object.fromEntries(
    Object.entries(source.secrets).map(([key, envelope]) => [key, cipher.open(envelope, secretContext(id, key))]),
  );
  const token = cipher.open(source.token_secret, secretContext(id, 'token'));
  for (let done = 0; done < n; done += 500) {
    const size = Math.min(500, n - done);
    const ids = await db.query<{ id: number }>(
      "select nextval(pg_get_serial_sequence('instances', 'id'))::int as id from generate_series(1, $1::int)",
      [size],
    );
    const copies = ids.rows.map(({ id: copy }) => ({
      id: copy,
      secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, cipher.seal(v, secretContext(copy, k))])),
      token_hash: createHash('sha256').update(`${token}:${copy}`).digest('hex'),
      token_secret: cipher.seal(`${token}:${copy}`, secretContext(copy, 'token')),
    }));
    await db.query(
      `insert into instances (id, organization_id, user_id, element_key, name, tags, configuration, secrets,
         token_hash, token_secret, credentials_version, valid, disabled, caching_enabled,
         trace_logging_enabled, external_authentication)
       select c.id, s.organization_id, s.user_id, s.element_key, s.name || ' ' || c.id, s.tags, s.configuration,
         c.secrets, c.token_hash, c.token_secret, s.credentials_version, s.valid, s.disabled, s.caching_enabled,
         s.trace_logging_enabled, s.external_authentication
       from instances s, jsonb_to_recordset($2::jsonb) as c(id int, secrets jsonb, token_hash text, token_secret text)
       where s.id = $1`,
      [id, JSON.stringify(copies)],
    );
  }
}

/**
 * Milliseconds until every instance has been swept once (its poll state exists and is not
 * held). A hub that cannot sweep them all within a minute never sees them all waiting at once.
 */
async function waitForFirstSweeps(db: pg.Client): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      'select count(distinct instance_id)::int as n from event_poll_state where locked_until is null',
    );
    if ((rows[0]?.n ?? 0) >= count) return performance.now() - started;
    if (performance.now() - started > 15 * 60_000) throw new Error(`only ${rows[0]?.n} of ${count} first sweeps in 15 min`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface Sample {
  lags: number[];
  sweeps: number;
  /** The largest (now − next poll) among due, unswept resources seen at any sample. */
  worstOverdue: number;
  maxRss: number;
  seconds: number;
}

/** Reads the poll states every second; every moved next poll is one sweep, with its lag. */
async function observe(db: pg.Client, hubPid: number, durationMs: number): Promise<Sample> {
  const seen = new Map<string, number>();
  const lags: number[] = [];
  let worstOverdue = 0;
  let maxRss = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    const { rows } = await db.query<{ key: string; next: string; overdue: string }>(
      `select instance_id || '/' || resource as key,
              (extract(epoch from next_poll_at) * 1000)::bigint as next,
              (extract(epoch from now() - next_poll_at) * 1000)::bigint as overdue
         from event_poll_state`,
    );
    for (const row of rows) {
      const next = Number(row.next);
      const before = seen.get(row.key);
      if (before !== undefined && next !== before) lags.push(next - INTERVAL_MS - before);
      seen.set(row.key, next);
      worstOverdue = Math.max(worstOverdue, Number(row.overdue));
    }
    maxRss = Math.max(maxRss, await rssMb(hubPid));
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { lags, sweeps: lags.length, worstOverdue, maxRss, seconds: (performance.now() - started) / 1000 };
}

async function report(o: Sample & { warmup: number; hubCpu: number; sandboxCpu: number; load: string }): Promise<void> {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const expected = Math.round((count * o.seconds * 1000) / INTERVAL_MS);
  const lines = [
    '# Polling at scale (PostgreSQL, one hub)',
    '',
    `Command: \`${command}\``,
    `Run: ${new Date().toISOString()}, ${o.load} before the measurement.`,
    '',
    '| instances | refresh interval | tick s | first sweeps s | measured s | sweeps | expected sweeps | p50 lag s | p99 lag s | max lag s | worst overdue s | hub CPU % of a core | hub RSS MB (max) | sandbox CPU % of a core |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${count} | 1 min | ${tickMs / 1000} | ${s(o.warmup)} | ${o.seconds.toFixed(0)} | ${o.sweeps} | ${expected} | ${s(quantile(o.lags, 0.5))} | ${s(quantile(o.lags, 0.99))} | ${s(Math.max(0, ...o.lags))} | ${s(Math.max(0, o.worstOverdue))} | ${Math.round((o.hubCpu / 1e6 / o.seconds) * 100)} | ${o.maxRss} | ${Math.round((o.sandboxCpu / 1e6 / o.seconds) * 100)} |`,
    '',
    'Lag: when a sweep started minus when it was due (its resource\'s `next_poll_at`). Worst overdue:',
    'the longest any due resource waited unswept at one of the once-a-second samples.',
    '',
  ];
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/polling-scale.md', lines.join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
