import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startStack,
  type Stack,
  type StackOptions,
} from '../support/stack.js';

export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');
const CONSOLE_DIST = join(process.cwd(), 'console', 'dist', 'index.html');

export interface ConsoleStack extends Stack {
  origin: string;
  sandbox: RunningSandbox;
}

/** A port nobody listens on now, so the sandbox can register the hub's callback in advance. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A hub on a port chosen first, and a sandbox that knows the hub's console callback and shows
 * its sign-in and consent pages (unless `autoConsent`). The hub has the sandbox app's client id
 * and secret configured, as an operator would set them; `env` adds to the hub's configuration.
 */
export async function startConsoleStack(
  options: { autoConsent?: boolean; appConfigured?: boolean } & Pick<
    StackOptions,
    'clock' | 'name' | 'env'
  > = {},
): Promise<ConsoleStack> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({
    port: 0,
    autoConsent: options.autoConsent ?? false,
    logger: false,
    redirectUris: [`${origin}/elements/api-v2/console/oauth/callback`],
  });
  const app =
    options.appConfigured === false
      ? {}
      : { JUNCTION_KEAP_CLIENT_ID: CLIENT_ID, JUNCTION_KEAP_CLIENT_SECRET: CLIENT_SECRET };
  const stack = await startStack({
    sandboxUrl: sandbox.url,
    env: { PORT: String(port), ...app, ...options.env },
    ...(options.clock ? { clock: options.clock } : {}),
    name: options.name ?? 'console',
  });
  return {
    ...stack,
    origin,
    sandbox,
    close: async () => {
      await stack.close();
      await sandbox.close();
    },
  };
}

/** Builds the console once if this checkout has not (npm install normally does). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(CONSOLE_DIST)) return;
  const { build } = await import('vite');
  await build({ configFile: join(process.cwd(), 'console', 'vite.config.ts') });
}

/** Debian's chromium, headless, with a fresh profile; nothing is downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    // Playwright gives every launch a new, empty --user-data-dir of its own.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A cookie jar of one: the session cookie a `Set-Cookie` answer carries. */
export function sessionCookie(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /junction_session=([^;]*)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return `junction_session=${match[1]}`;
}
