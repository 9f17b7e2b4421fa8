import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { startSandbox, type SandboxOptions } from '../../sandbox/src/server.js';
import { loadConfig } from '../../src/config.js';
import { KEY_FILE } from '../../src/crypto/keys.js';
import { newBase64Secret, newHexSecret } from '../../src/crypto/tokens.js';
import { startHub, type RunningHub } from '../../src/start.js';
import type { Clock } from '../../src/clock.js';

/**
 * The test stack: a Keap sandbox and a Junction hub on random ports, talking over HTTP, on
 * the embedded store or, when `JUNCTION_TEST_DATABASE_URL` is set, on a fresh PostgreSQL
 * database of its own.
 */
export interface Stack {
  hub: RunningHub;
  sandboxUrl: string;
  /** Base URL of the platform API, e.g. `http://127.0.0.1:4321/elements/api-v2`. */
  api: string;
  secrets: { user: string; organization: string };
  /** `User …, Organization …` */
  platformAuth: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The hub's log file, for tests that prove no secret reaches it. */
  logFile: string;
  close(): Promise<void>;
}

export const CLIENT_ID = 'fake_infusionsoft_client_id';
export const CLIENT_SECRET = 'fake_infusionsoft_client_secret';
export const CALLBACK = 'http://fake.oauth.callback/url';
export const LOG_DIR = join(process.cwd(), 'test-output', 'logs');

export interface StackOptions {
  sandbox?: SandboxOptions;
  /** Use a sandbox that is already running (and leave it running). */
  sandboxUrl?: string;
  clock?: Clock;
  env?: Record<string, string>;
  /** Reuse a data folder or database from an earlier stack. */
  dataDir?: string;
  databaseUrl?: string;
  /** `embedded` forces PGlite even when the suite runs on PostgreSQL. */
  store?: 'embedded';
  /** Leave the organization secrets unset, so the hub generates them. */
  generateSecrets?: boolean;
  name?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = options.sandboxUrl
    ? { url: options.sandboxUrl, close: async () => {} }
    : await startSandbox({ port: 0, autoConsent: true, logger: false, ...options.sandbox });
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'junction-test-')));
  const databaseUrl =
    options.store === 'embedded' ? undefined : (options.databaseUrl ?? (await freshDatabase()));
  const configured = { user: newBase64Secret(), organization: newHexSecret() };
  const config = loadConfig({
    PORT: '0',
    JUNCTION_DATA_DIR: dataDir,
    JUNCTION_KEAP_URL: sandbox.url,
    ...(options.generateSecrets
      ? {}
      : { JUNCTION_USER_SECRET: configured.user, JUNCTION_ORGANIZATION_SECRET: configured.organization }),
    JUNCTION_LOG_LEVEL: 'debug',
    ...(databaseUrl ? { JUNCTION_DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  await mkdir(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${options.name ?? 'hub'}-${randomBytes(4).toString('hex')}.log`);
  const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true }));
  const hub = await startHub(config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
  const secrets = options.generateSecrets ? (hub.generatedSecrets ?? configured) : configured;
  return {
    hub,
    sandboxUrl: sandbox.url,
    api: `${hub.url}/elements/api-v2`,
    secrets,
    platformAuth: `User ${secrets.user}, Organization ${secrets.organization}`,
    dataDir,
    databaseUrl,
    logFile,
    close: async () => {
      await hub.close();
      await sandbox.close();
    },
  };
}

/**
 * Another hub on the same PostgreSQL database, sandbox, encryption key and organization as
 * `stack`: a second Junction process as far as the store can tell.
 */
export async function startPeer(stack: Stack, options: StackOptions = {}): Promise<Stack> {
  if (!stack.databaseUrl) throw new Error('a peer hub needs PostgreSQL');
  const key =
    options.env?.['JUNCTION_ENCRYPTION_KEY'] ??
    (await readFile(join(stack.dataDir, KEY_FILE), 'utf8')).split('\n')[0]?.trim() ??
    '';
  return startStack({
    ...options,
    sandboxUrl: stack.sandboxUrl,
    databaseUrl: stack.databaseUrl,
    env: {
      JUNCTION_ENCRYPTION_KEY: key,
      JUNCTION_USER_SECRET: stack.secrets.user,
      JUNCTION_ORGANIZATION_SECRET: stack.secrets.organization,
      ...options.env,
    },
  }).then((peer) => ({ ...peer, secrets: stack.secrets, platformAuth: stack.platformAuth }));
}

/** A new, empty PostgreSQL database when the tests run on PostgreSQL; else undefined. */
export async function freshDatabase(): Promise<string | undefined> {
  const base = process.env['JUNCTION_TEST_DATABASE_URL'];
  if (!base) return undefined;
  const name = `junction_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What calling a hub's API takes: a hub started here or one in a child process. */
export type HubClient = Pick<Stack, 'api' | 'secrets' | 'platformAuth'>;

/** Runs the OAuth dance against the sandbox (auto-consent) and returns the code. */
export async function authorizationCode(stack: HubClient, element = 'infusionsoftecommerce'): Promise<string> {
  const query = new URLSearchParams({ apiKey: CLIENT_ID, apiSecret: CLIENT_SECRET, callbackUrl: CALLBACK });
  const res = await fetch(`${stack.api}/elements/${element}/oauth/url?${query}`);
  const { oauthUrl } = (await res.json()) as { oauthUrl: string };
  const redirect = await fetch(oauthUrl, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`sandbox did not redirect with a code (status ${redirect.status})`);
  return code;
}

export interface ProvisionedInstance {
  id: number;
  token: string;
  /** `User …, Element …` */
  hubAuth: string;
  body: Record<string, unknown>;
}

/** Creates an instance of an element through the API, as the seed page does. */
export async function provision(
  stack: HubClient,
  element = 'infusionsoftecommerce',
  extra: Record<string, unknown> = {},
): Promise<ProvisionedInstance> {
  const code = await authorizationCode(stack, element);
  const res = await fetch(`${stack.api}/instances`, {
    method: 'POST',
    headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
    body: JSON.stringify({
      element: { key: element },
      providerData: { code },
      configuration: {
        'oauth.api.key': CLIENT_ID,
        'oauth.api.secret': CLIENT_SECRET,
        'oauth.callback.url': CALLBACK,
      },
      name: `test ${element}`,
      ...extra,
    }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${JSON.stringify(body)}`);
  const token = body['token'] as string;
  return { id: body['id'] as number, token, hubAuth: `User ${stack.secrets.user}, Element ${token}`, body };
}
