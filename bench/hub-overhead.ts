/**
 * Hub overhead: `GET /hubs/ecommerce/orders` (a 28 KB Keap-shaped page) through Junction vs.
 * straight to the upstream vs. a bare streaming pass-through proxy vs. a minimal hub, at 1,
 * 16 and 64 concurrent connections. Every hub variant runs alone, pinned to core 0; the load
 * generator and the upstream share core 1. Writes `bench/results/hub-overhead-<store>.md`.
 *
 *   npm run build:server && npx tsx bench/hub-overhead.ts [--store embedded|postgres] [--seconds 8]
 *     [--only junction] [--cpu-prof <dir>] [--connections 1,16,64]
 *
 * `--only junction` measures Junction alone (no ratios); `--cpu-prof` writes its V8 CPU
 * profile to the folder when it stops, for `--only junction` profiling sessions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { freshDatabase, processTree, rssMb } from './support.js';
import { startSandbox } from '../sandbox/src/server.js';

const args = new Map(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1] ?? '']] : [])));
const store = args.get('store') ?? 'embedded';
const seconds = Number(args.get('seconds') ?? 8);
const onlyJunction = args.get('only') === 'junction';
const cpuProfDir = args.get('cpu-prof');
const CONCURRENCY = args.get('connections')?.split(',').map(Number) ?? [1, 16, 64];
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const hubEntry = join(process.cwd(), 'dist', 'main.js');

interface Row {
  variant: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number | undefined;
}

async function main(): Promise<void> {
  const upstream = await launch(['taskset', '-c', '1', tsx, 'bench/upstream.ts', '0'], /^(\d+) (\d+)$/);
  const [upstreamPort, pageBytes] = upstream.match.slice(1).map(Number);
  const upstreamOrigin = `http://127.0.0.1:${upstreamPort}`;
  const sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false });
  const rows: Row[] = [];

  if (!onlyJunction) rows.push(...(await otherVariants(upstreamOrigin)));

  const junction = await startJunction(sandbox.url, upstreamOrigin);
  rows.push(...(await measure(`Junction (${store})`, junction.url, { authorization: junction.auth }, junction.child)));
  const rss = await rssMb(junction.child.pid ?? 0);
  const exited = new Promise((resolve) => junction.child.once('exit', resolve));
  junction.child.kill();
  await exited; // a CPU profile is written as it exits

  upstream.child.kill();
  await sandbox.close();
  await report(rows, pageBytes ?? 0, rss);
}

/** Straight to the upstream, the pass-through proxy and the minimal hub: Junction's yardsticks. */
async function otherVariants(upstreamOrigin: string): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await measure('direct to upstream', `${upstreamOrigin}/crm/rest/v1/orders`, { authorization: 'Bearer bench' })));

  const pass = await launch(['taskset', '-c', '0', tsx, 'bench/passthrough.ts', '18601', upstreamOrigin], /^ready$/);
  rows.push(...(await measure('pass-through proxy', 'http://127.0.0.1:18601/', {}, pass.child)));
  pass.child.kill();

  const minimal = await launch(['taskset', '-c', '0', tsx, 'bench/minimal-hub.ts', '18602', upstreamOrigin, 'tok'], /^ready$/);
  rows.push(...(await measure('minimal hub', 'http://127.0.0.1:18602/', { authorization: 'User u, Element tok' }, minimal.child)));
  minimal.child.kill();
  return rows;
}

async function measure(variant: string, url: string, headers: Record<string, string>, child?: ChildProcess): Promise<Row[]> {
  await autocannon({ url, headers, connections: 16, duration: 2 }); // warm-up: JIT, pools
  const rows: Row[] = [];
  for (const connections of CONCURRENCY) {
    const before = child ? await cpuMicros(child) : undefined;
    const result = await autocannon({ url, headers, connections, duration: seconds });
    const after = child ? await cpuMicros(child) : undefined;
    const ok = result.requests.total - result.non2xx;
    if (result.non2xx > 0 || result.errors > 0) {
      console.error(`${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    rows.push({
      variant,
      connections,
      rps: Math.round(ok / seconds),
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuUsPerRequest: before !== undefined && after !== undefined ? Math.round((after - before) / ok) : undefined,
    });
    console.log(`${variant} c=${connections}: ${Math.round(ok / seconds)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  }
  return rows;
}

/** Starts the hub as `npm start` does (`node dist/main.js`) on a fresh store, pinned to core 0, and provisions one instance. */
async function startJunction(sandboxUrl: string, upstreamOrigin: string) {
  const secrets = { JUNCTION_USER_SECRET: 'benchuser', JUNCTION_ORGANIZATION_SECRET: 'benchorg' };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    PORT: '18603',
    JUNCTION_DATA_DIR: await mkdtemp(join(tmpdir(), 'junction-bench-')),
    JUNCTION_KEAP_URL: sandboxUrl,
    JUNCTION_QUOTA_SCALE: '10000',
    JUNCTION_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  if (store === 'postgres') env['JUNCTION_DATABASE_URL'] = await freshDatabase('junction_bench');
  const command = cpuProfDir
    ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, hubEntry]
    : [process.execPath, hubEntry];
  const started = Date.now();
  const child = spawn('taskset', ['-c', '0', ...command], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const api = 'http://127.0.0.1:18603/elements/api-v2';
  await waitFor(`${api}/hubs`);
  console.log(`Junction (${store}) ready in ${Date.now() - started} ms (first start)`);
  const platform = 'User benchuser, Organization benchorg';
  const oauth = (await (await fetch(`${api}/elements/infusionsoftecommerce/oauth/url?apiKey=fake_infusionsoft_client_id&apiSecret=x&callbackUrl=http://fake.oauth.callback/url`)).json()) as { oauthUrl: string };
  const code = new URL((await fetch(oauth.oauthUrl, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code');
  const created = await fetch(`${api}/instances`, {
    method: 'POST',
    headers: { authorization: platform, 'content-type': 'application/json' },
    body: JSON.stringify({
      element: { key: 'infusionsoftecommerce' },
      providerData: { code },
      configuration: {
        'oauth.api.key': 'fake_infusionsoft_client_id',
        'oauth.api.secret': 'fake_infusionsoft_client_secret',
        'oauth.callback.url': 'http://fake.oauth.callback/url',
        'base.url': `${upstreamOrigin}/crm/rest/v1`,
      },
    }),
  });
  const instance = (await created.json()) as { token: string };
  return { child, url: `${api}/hubs/ecommerce/orders?pageSize=20`, auth: `User benchuser, Element ${instance.token}` };
}

async function launch(command: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const [file, ...rest] = command as [string, ...string[]];
  const child = spawn(file, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = ready.exec(line);
    if (match) return { child, match };
  }
  throw new Error(`${command.join(' ')} exited before it was ready`);
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** user + system CPU of a process and its children (tsx runs node as a child), in µs. */
async function cpuMicros(child: ChildProcess): Promise<number> {
  let total = 0;
  for (const pid of await processTree(child.pid ?? 0)) {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    total += Number(fields[11]) + Number(fields[12]);
  }
  return (total * 1_000_000) / 100;
}

async function report(rows: Row[], pageBytes: number, rss: number): Promise<void> {
  const minimal = new Map(rows.filter((r) => r.variant === 'minimal hub').map((r) => [r.connections, r]));
  const direct = new Map(rows.filter((r) => r.variant === 'direct to upstream').map((r) => [r.connections, r]));
  const lines = [
    `# Hub overhead (${store} store)`,
    '',
    `Command: \`npx tsx bench/hub-overhead.ts --store ${store} --seconds ${seconds}\``,
    `Run: ${new Date().toISOString()}, ${pageBytes} byte orders page, hub variants pinned to core 0.`,
    '',
    '| variant | conns | req/s | p50 ms | p99 ms | added p50 ms | CPU µs/req | vs minimal hub |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const base = direct.get(r.connections);
      const added = base ? (r.p50 - base.p50).toFixed(2) : '';
      const ratio = minimal.get(r.connections) ? (r.rps / (minimal.get(r.connections)?.rps ?? 1)).toFixed(2) : '';
      return `| ${r.variant} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${added} | ${r.cpuUsPerRequest ?? ''} | ${ratio} |`;
    }),
    '',
    `Junction RSS after the run: ${rss} MB.`,
    '',
  ];
  if (onlyJunction) return console.log(lines.join('\n'));
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/hub-overhead-${store}.md`, lines.join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
