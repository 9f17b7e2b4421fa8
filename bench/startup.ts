/**
 * Start-up time (process spawn to `/readyz` 200) and idle memory (RSS of the process tree after
 * 5 s idle), on both stores, first start and a restart. The hub runs as `npm start` runs it after
 * its build step: `node dist/main.js`, the JavaScript `npm run build:server` makes of `src`.
 *
 *   npm run build:server && npx tsx bench/startup.ts
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, rssMb } from './support.js';

const hubEntry = join(process.cwd(), 'dist', 'main.js');

async function main(): Promise<void> {
  const rows: string[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'startup-'));
  const database = await freshDatabase('junction_startup');
  for (const [store, extra] of [
    ['embedded', {}],
    ['postgres', { JUNCTION_DATABASE_URL: database }],
  ] as const) {
    for (const start of ['first start', 'restart']) {
      const port = 18700 + rows.length;
      const env = {
        ...process.env,
        PORT: String(port),
        JUNCTION_DATA_DIR: store === 'embedded' ? dataDir : await mkdtemp(join(tmpdir(), 'startup-pg-')),
        JUNCTION_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
        JUNCTION_USER_SECRET: 'u',
        JUNCTION_ORGANIZATION_SECRET: 'o',
        JUNCTION_LOG_LEVEL: 'warn',
        ...extra,
      };
      const began = performance.now();
      const child = spawn(process.execPath, [hubEntry], { env, stdio: 'ignore' });
      await until(`http://127.0.0.1:${port}/readyz`);
      const ms = Math.round(performance.now() - began);
      await new Promise((r) => setTimeout(r, 5000));
      const rss = await rssMb(child.pid ?? 0);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rows.push(`| ${store} | ${start} | ${ms} | ${rss} |`);
      console.log(rows.at(-1));
    }
  }
  console.log(['', '| store | start | ms to ready | idle RSS MB |', '| --- | --- | --- | --- |', ...rows].join('\n'));
}

async function until(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
