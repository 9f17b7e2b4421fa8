import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase, startStack, type Stack } from './support/stack.js';

const onPostgres = Boolean(process.env['JUNCTION_TEST_DATABASE_URL']);

describe('GET /healthz and GET /readyz', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'health' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answer at the root, without credentials', async () => {
    const live = await fetch(`${stack.hub.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'up' });

    const ready = await fetch(`${stack.hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: { ok: true }, queue: { ok: true } },
    });

    expect((await fetch(`${stack.api}/readyz`)).status).toBe(404);
  });

  // Simulated honestly: the server itself refuses new connections to this database
  // (ALLOW_CONNECTIONS false) and ends the open ones, as a failover or a maintenance window
  // would. The embedded store lives in the process, so it has no such state to test.
  it.skipIf(!onPostgres)('reports 503 naming the store and queue when PostgreSQL refuses, then recovers', async () => {
    const name = new URL(stack.databaseUrl ?? '').pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env['JUNCTION_TEST_DATABASE_URL'] });
    await admin.connect();
    try {
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);

      // A pooled connection the server ended may be found dead before a new one is refused,
      // so the first answer can name either; both mean the database is out of reach.
      const refused = /not currently accepting connections|terminat/i;
      const down = await fetch(`${stack.hub.url}/readyz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
      expect(body.status).toBe('unavailable');
      expect(body.checks['store']).toEqual({ ok: false, error: expect.stringMatching(refused) });
      expect(body.checks['queue']).toEqual({ ok: false, error: expect.stringMatching(refused) });
      expect((await fetch(`${stack.hub.url}/healthz`)).status).toBe(200);

      await admin.query(`alter database ${name} allow_connections true`);
      await vi.waitFor(async () => expect((await fetch(`${stack.hub.url}/readyz`)).status).toBe(200), {
        timeout: 15_000,
        interval: 200,
      });
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
    }
  });
});

describe('npm start on SIGTERM', () => {
  it('stops accepting, shuts down and exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'junction-sigterm-'));
    const databaseUrl = await freshDatabase();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        JUNCTION_DATA_DIR: dataDir,
        JUNCTION_LOG_LEVEL: 'info',
        JUNCTION_USER_SECRET: 'user-secret',
        JUNCTION_ORGANIZATION_SECRET: 'organization-secret',
        ...(databaseUrl ? { JUNCTION_DATABASE_URL: databaseUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    const url = await vi.waitFor(
      () => {
        const match = /Server listening at (http:\/\/[\d.:]+)/.exec(output);
        if (!match?.[1]) throw new Error('not listening yet');
        return match[1];
      },
      { timeout: 30_000, interval: 100 },
    );
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    expect(output).toMatch(/"msg":"job queue stopped"/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 60_000);
});
