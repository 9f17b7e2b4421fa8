import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, LOG_DIR } from './stack.js';

/** Runs a TypeScript entry point (`tsx`) in a child process; resolves with its output. */
export function runScript(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A hub in a child process (`src/main.ts`), logging to `test-output/logs/<name>.log`. */
export async function spawnHub(name: string, env: Record<string, string>) {
  const port = await freePort();
  const log = createWriteStream(join(LOG_DIR, `${name}-${port}.log`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), JUNCTION_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/elements/api-v2/elements`).then(
      (r) => r.status > 0,
      () => false,
    );
    if (up) return { url, api: `${url}/elements/api-v2`, child };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`hub ${name} did not start`);
}

/** A hub process (`src/main.ts`) on `env`, waited for until `api` answers. */
export async function startHubProcess(env: Record<string, string>, api: string): Promise<ChildProcess> {
  // The embedded store's folder lock of a killed process goes stale after a few seconds.
  for (let attempt = 0; attempt < 30; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const up = await waitUntilUp(api, () => exited);
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('the hub process did not start');
}

async function waitUntilUp(api: string, exited: () => boolean): Promise<boolean> {
  for (let i = 0; i < 300 && !exited(); i++) {
    try {
      await fetch(`${api}/elements`);
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

/** Creates an infusionsoftecommerce instance with events on through a hub process's API. */
export async function provisionThrough(
  api: string,
  auth: string,
  sandboxUrl: string,
  callbackUrl: string,
  configuration: Record<string, unknown> = { 'event.poller.configuration': { orders: { pollDelay: 120 } } },
): Promise<number> {
  const query = new URLSearchParams({ apiKey: CLIENT_ID, apiSecret: CLIENT_SECRET, callbackUrl: CALLBACK });
  const { oauthUrl } = (await (await fetch(`${api}/elements/infusionsoftecommerce/oauth/url?${query}`)).json()) as { oauthUrl: string };
  const redirect = await fetch(oauthUrl.replace(/^https?:\/\/[^/]+/, sandboxUrl), { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
  const res = await fetch(`${api}/instances`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      element: { key: 'infusionsoftecommerce' },
      providerData: { code },
      configuration: {
        'oauth.api.key': CLIENT_ID,
        'oauth.api.secret': CLIENT_SECRET,
        'oauth.callback.url': CALLBACK,
        'event.notification.enabled': 'true',
        'event.notification.callback.url': callbackUrl,
        ...configuration,
      },
    }),
  });
  if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
