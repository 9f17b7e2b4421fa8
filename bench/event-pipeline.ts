/**
 * Event pipeline: changes per second from a Keap back-office edit to a signed delivery at a
 * real HTTP callback receiver, through the store's outbox. The sandbox and the hub each run as
 * their own process; the receiver and the load generator run here. `--changes` contacts are
 * created in Keap's back office as fast as `--writers` concurrent writers go; each of the
 * `--instances` instances (all on the same Keap account) must then deliver every one of them
 * exactly once, signed, as a CREATED event. Writes `bench/results/event-pipeline-<store>-<mechanism>.md`.
 *
 *   npx tsx bench/event-pipeline.ts [--store embedded|postgres] [--mechanism webhook|polling]
 *     [--changes 4000] [--instances 2] [--writers 16] [--hook-delay 1000] [--tick 5000]
 *
 * Webhook latency includes Keap's batch delay (`--hook-delay`, KEAP_SANDBOX_HOOK_DELAY_MS);
 * polling latency includes the wait for the next poll (at least a minute).
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const store = args.get('store') ?? 'embedded';
const mechanism = args.get('mechanism') ?? 'webhook';
const changes = Number(args.get('changes') ?? 4000);
const instances = Number(args.get('instances') ?? 2);
const writers = Number(args.get('writers') ?? 16);
const hookDelay = Number(args.get('hook-delay') ?? 1000);
const tickMs = Number(args.get('tick') ?? 5000);
const SIGNING_KEY = 'bench-signing-key';
let stopping = false;
const HUB_PORT = 18711;
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const command = `npx tsx bench/event-pipeline.ts --store ${store} --mechanism ${mechanism} --changes ${changes} --instances ${instances} --writers ${writers} --hook-delay ${hookDelay} --tick ${tickMs}`;

/** What the receiver saw of one change: `${instanceId}:${contactId}`. */
interface Arrival {
  at: number;
}

class Receiver {
  readonly arrivals = new Map<string, Arrival[]>();
  notifications = 0;
  badSignatures = 0;
  firstAt = 0;
  lastAt = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.take(Buffer.concat(chunks).toString('utf8'), request.headers['elements-webhook-signature']);
        response.writeHead(200).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  get delivered(): number {
    let n = 0;
    for (const list of this.arrivals.values()) n += list.length;
    return n;
  }

  private take(body: string, signature: string | string[] | undefined): void {
    const at = performance.now();
    const expected = `sha256=${createHmac('sha256', SIGNING_KEY).update(body, 'utf8').digest('base64')}`;
    if (signature !== expected) this.badSignatures++;
    const { message } = JSON.parse(body) as { message: { instanceId: number; events: { objectType: string; objectId: string; eventType: string }[] } };
    this.notifications++;
    this.firstAt ||= at;
    this.lastAt = at;
    for (const event of message.events) {
      if (event.objectType !== 'contacts' || event.eventType !== 'CREATED') continue;
      const key = `${message.instanceId}:${event.objectId}`;
      const list = this.arrivals.get(key) ?? [];
      list.push({ at });
      this.arrivals.set(key, list);
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function main(): Promise<void> {
  const receiver = new Receiver();
  await receiver.start();
  const sandbox = await launch([tsx, 'bench/keap-sandbox.ts', String(hookDelay)], /^(http:\S+)$/);
  const sandboxUrl = sandbox.match[1] ?? '';
  const hub = await startJunction(sandboxUrl);
  try {
    const ids: number[] = [];
    for (let i = 0; i < instances; i++) ids.push(await provision(hub.api, receiver.url));
    await settle(sandboxUrl);
    const load = await machineLoad();
    const cpuBefore = await cpuMicros(hub.pid);

    const started = performance.now();
    const edited = await edit(sandboxUrl);
    const editsDone = performance.now();
    console.log(`${changes} contacts created in ${Math.round(editsDone - started)} ms; waiting for ${changes * instances} deliveries`);
    await drain(receiver, changes * instances);
    const cpu = (await cpuMicros(hub.pid)) - cpuBefore;
    const rss = await rssMb(hub.pid);
    await report({ receiver, ids, edited, started, editsDone, cpu, rss, load });
  } finally {
    stopping = true;
    hub.child.kill();
    await new Promise((r) => setTimeout(r, 500)); // let the hub let go of its data folder
    await rm(hub.dataDir, { recursive: true, force: true });
    sandbox.child.kill();
    await receiver.close();
  }
}

/** Starts `npm start`'s `tsx src/main.ts` on a fresh store. */
async function startJunction(sandboxUrl: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'junction-events-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(HUB_PORT),
    JUNCTION_PUBLIC_URL: `http://127.0.0.1:${HUB_PORT}`,
    JUNCTION_USER_SECRET: 'benchuser',
    JUNCTION_ORGANIZATION_SECRET: 'benchorg',
    JUNCTION_DATA_DIR: dataDir,
    JUNCTION_KEAP_URL: sandboxUrl,
    JUNCTION_QUOTA_SCALE: '10000',
    JUNCTION_EVENTS_TICK_MS: String(tickMs),
    JUNCTION_LOG_LEVEL: 'warn',
    JUNCTION_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  if (store === 'postgres') env['JUNCTION_DATABASE_URL'] = await freshDatabase('junction_events');
  const spawned = spawn(tsx, ['src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  // A hub that dies mid-run (out of memory, say) must not pass for a slow one.
  spawned.on('exit', (code, signal) => {
    if (!stopping) console.error(`the hub exited during the run: code ${code}, signal ${signal}`);
  });
  const api = `http://127.0.0.1:${HUB_PORT}/elements/api-v2`;
  await waitFor(`${api}/hubs`);
  return { child: spawned, pid: spawned.pid ?? 0, api, dataDir };
}

/** An Online Sales instance through the OAuth flow, events on, calling back the receiver. */
async function provision(api: string, callbackUrl: string): Promise<number> {
  const created = await provisionInstance(api, 'User benchuser, Organization benchorg', {
    'event.notification.enabled': true,
    'event.vendor.type': mechanism === 'webhook' ? 'webhooks' : 'polling',
    'event.notification.callback.url': callbackUrl,
    'event.notification.signature.key': SIGNING_KEY,
    'event.poller.refresh_interval': '1',
    // Polling watches the contacts the benchmark creates, at the default page size.
    ...(mechanism === 'polling' ? { 'event.poller.configuration': JSON.stringify({ contacts: {} }) } : {}),
  });
  return created.id;
}

/** Webhooks: every instance's 9 hooks verified. Polling: the first (empty) polls done. */
async function settle(sandboxUrl: string): Promise<void> {
  if (mechanism === 'polling') {
    await new Promise((r) => setTimeout(r, 5000));
    return;
  }
  for (let i = 0; i < 600; i++) {
    const hooks = (await (await fetch(`${sandboxUrl}/_control/hooks`)).json()) as { status: string }[];
    if (hooks.length === 9 * instances && hooks.every((h) => h.status === 'Verified')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('hooks were not verified within a minute');
}

/** Creates `changes` contacts with `writers` writers; the time each one was created, by id. */
async function edit(sandboxUrl: string): Promise<Map<string, number>> {
  const edited = new Map<string, number>();
  let next = 0;
  const writer = async () => {
    while (next < changes) {
      const n = next++;
      const res = await fetch(`${sandboxUrl}/_control/backoffice/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ given_name: `Bench ${n}` }),
      });
      const { id } = (await res.json()) as { id: number };
      edited.set(String(id), performance.now());
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return edited;
}

/** Waits until `expected` changes arrived, or nothing arrived for the quiet period. */
async function drain(receiver: Receiver, expected: number): Promise<void> {
  const quietMs = mechanism === 'polling' ? 150_000 : 60_000;
  let seen = -1;
  let since = performance.now();
  while (receiver.delivered < expected) {
    if (receiver.delivered !== seen) {
      seen = receiver.delivered;
      since = performance.now();
    } else if (performance.now() - since > quietMs) {
      console.error(`gave up: ${receiver.delivered} of ${expected} after ${quietMs / 1000} s without progress`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 2000)); // let late duplicates show
}

interface Outcome {
  receiver: Receiver;
  ids: number[];
  edited: Map<string, number>;
  started: number;
  editsDone: number;
  cpu: number;
  rss: number;
  load: string;
}

async function report(o: Outcome): Promise<void> {
  const { receiver } = o;
  const latencies: number[] = [];
  let missing = 0;
  let duplicates = 0;
  for (const instanceId of o.ids) {
    for (const [contactId, editedAt] of o.edited) {
      const arrivals = receiver.arrivals.get(`${instanceId}:${contactId}`) ?? [];
      if (arrivals.length === 0) missing++;
      duplicates += Math.max(0, arrivals.length - 1);
      if (arrivals[0]) latencies.push(arrivals[0].at - editedAt);
    }
  }
  const delivered = latencies.length;
  const endToEnd = (receiver.lastAt - o.started) / 1000;
  const drainSeconds = (receiver.lastAt - receiver.firstAt) / 1000;
  const rate = (n: number, s: number) => (s > 0 ? Math.round(n / s) : 0);
  const lines = [
    `# Event pipeline (${store} store, ${mechanism})`,
    '',
    `Command: \`${command}\``,
    `Run: ${new Date().toISOString()}, ${o.load} before the run.`,
    '',
    '| changes | instances | expected | delivered once | missing | duplicates | bad signatures | notifications | edit s | end-to-end s | changes/s end-to-end | changes/s drain | p50 latency ms | p99 latency ms | hub CPU s | hub RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${changes} | ${instances} | ${changes * instances} | ${delivered} | ${missing} | ${duplicates} | ${receiver.badSignatures} | ${receiver.notifications} | ${((o.editsDone - o.started) / 1000).toFixed(1)} | ${endToEnd.toFixed(1)} | ${rate(delivered, endToEnd)} | ${rate(delivered, drainSeconds)} | ${Math.round(quantile(latencies, 0.5))} | ${Math.round(quantile(latencies, 0.99))} | ${(o.cpu / 1e6).toFixed(1)} | ${o.rss} |`,
    '',
  ];
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/event-pipeline-${store}-${mechanism}.md`, lines.join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
