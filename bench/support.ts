import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import pg from 'pg';

/** A new, empty database on the machine's PostgreSQL, for one benchmark run. */
export async function freshDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** The pids of a process and all of its descendants (tsx runs node as a child). */
export async function processTree(pid: number): Promise<number[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
  const nested = await Promise.all(children.split(/\s+/).filter(Boolean).map((c) => processTree(Number(c))));
  return [pid, ...nested.flat()];
}

/** Resident memory of a process tree, in MB. */
export async function rssMb(pid: number): Promise<number> {
  let kb = 0;
  for (const member of await processTree(pid)) {
    const status = await readFile(`/proc/${member}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}

/** Spawns `command` and resolves once a line of its stdout matches `ready`. */
export async function launch(
  command: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const [file, ...rest] = command as [string, ...string[]];
  const child = spawn(file, rest, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = ready.exec(line);
    if (match) {
      lines.on('line', () => undefined); // keep draining, so the child never blocks on stdout
      return { child, match };
    }
  }
  throw new Error(`${command.join(' ')} exited before it was ready`);
}

/** Resolves once `url` answers 2xx (up to a minute). */
export async function waitFor(url: string): Promise<void> {
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
export async function cpuMicros(pid: number): Promise<number> {
  let total = 0;
  for (const member of await processTree(pid)) {
    const stat = await readFile(`/proc/${member}/stat`, 'utf8').catch(() => '');
    const fields = stat.split(') ')[1]?.split(' ') ?? [];
    total += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return (total * 1_000_000) / 100;
}

/** The value at quantile `q` (0–1) of `values`, nearest rank; 0 when empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** `--name value` pairs of the command line. */
export function flags(): Map<string, string> {
  const argv = process.argv.slice(2);
  return new Map(argv.flatMap((a, i) => (a.startsWith('--') ? [[a.slice(2), argv[i + 1] ?? '']] : [])));
}

/** The 1-minute load average and core count, to note how busy the shared machine was. */
export async function machineLoad(): Promise<string> {
  const [one, five] = (await readFile('/proc/loadavg', 'utf8')).split(' ');
  return `load average ${one} (1 min), ${five} (5 min) on ${cpus().length} cores`;
}

/**
 * An Online Sales instance created as an app would: OAuth URL, the sandbox's consent (which
 * redirects at once), then `POST /instances` with the code. `configuration` adds to the OAuth
 * entries; `auth` is the platform's `Authorization` header. Answers the created instance.
 */
export async function provisionInstance(
  api: string,
  auth: string,
  configuration: Record<string, unknown> = {},
): Promise<{ id: number; token: string }> {
  const callbackUrl = 'http://fake.oauth.callback/url';
  const query = new URLSearchParams({ apiKey: 'fake_infusionsoft_client_id', apiSecret: 'x', callbackUrl });
  const oauth = await fetch(`${api}/elements/infusionsoftecommerce/oauth/url?${query}`);
  const { oauthUrl } = (await oauth.json()) as { oauthUrl: string };
  const location = (await fetch(oauthUrl, { redirect: 'manual' })).headers.get('location') ?? '';
  const created = await fetch(`${api}/instances`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      element: { key: 'infusionsoftecommerce' },
      providerData: { code: new URL(location).searchParams.get('code') },
      configuration: {
        'oauth.api.key': 'fake_infusionsoft_client_id',
        'oauth.api.secret': 'fake_infusionsoft_client_secret',
        'oauth.callback.url': callbackUrl,
        ...configuration,
      },
    }),
  });
  if (created.status !== 200) throw new Error(`instance not created: ${created.status} ${await created.text()}`);
  return (await created.json()) as { id: number; token: string };
}
