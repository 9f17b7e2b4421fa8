/**
 * `npm run demo`: the published Infusionsoft Online Sales flow, for real and offline. Starts
 * the Keap sandbox and a hub on free ports with a fresh embedded store, replays the seed
 * page's requests step by step, lists the new instance's first orders, and stops both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSandbox } from '../sandbox/src/server.js';
import { loadConfig } from '../src/config.js';
import { startHub } from '../src/start.js';

const CLIENT_ID = 'fake_infusionsoft_client_id';
const CLIENT_SECRET = 'fake_infusionsoft_client_secret';
const CALLBACK = 'http://fake.oauth.callback/url';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const short = (secret: string) => (secret.length > 10 ? `${secret.slice(0, 6)}…` : secret);

let stepNumber = 0;
function step(title: string): void {
  stepNumber++;
  console.log(`\n${bold(`${stepNumber}. ${title}`)}`);
}
function show(method: string, url: string, note = ''): void {
  console.log(`   ${method} ${url}${note ? dim(`  ${note}`) : ''}`);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'junction-demo-'));
  const sandbox = await startSandbox({ port: 0, logger: false });
  const config = loadConfig({ PORT: '0', JUNCTION_DATA_DIR: dataDir, JUNCTION_KEAP_URL: sandbox.url });
  const hub = await startHub(config, { logger: pino({ level: 'silent' }) });
  const api = `${hub.url}/elements/api-v2`;
  const secrets = hub.generatedSecrets;
  if (!secrets) throw new Error('a fresh data folder should have generated secrets');
  const platformAuth = `User ${secrets.user}, Organization ${secrets.organization}`;
  console.log(bold('Junction demo: Infusionsoft Online Sales, offline against the Keap sandbox'));
  console.log(`   hub     ${hub.url}  ${dim(`(embedded store in ${dataDir})`)}`);
  console.log(`   sandbox ${sandbox.url}`);
  console.log(`   secrets User ${short(secrets.user)}, Organization ${short(secrets.organization)}`);

  try {
    step('The app asks Junction for the OAuth URL (no credentials needed)');
    const query = new URLSearchParams({ apiKey: CLIENT_ID, apiSecret: CLIENT_SECRET, callbackUrl: CALLBACK, state: 'infusionsoftecommerce' });
    const urlPath = `/elements/api-v2/elements/infusionsoftecommerce/oauth/url?${query}`;
    show('GET', urlPath.replace(CLIENT_SECRET, short(CLIENT_SECRET)));
    const { oauthUrl } = await json<{ oauthUrl: string }>(await fetch(hub.url + urlPath));
    console.log(`   → 200 oauthUrl ${oauthUrl.replace(/client_id=[^&]+/, `client_id=${short(CLIENT_ID)}`)}`);

    step('The customer signs in at Keap and allows access');
    const code = await signIn(oauthUrl);
    console.log(`   → redirected to ${CALLBACK}?code=${short(code)}&state=infusionsoftecommerce`);

    step('The app creates the instance with the code');
    show('POST', '/elements/api-v2/instances', `Authorization: User ${short(secrets.user)}, Organization ${short(secrets.organization)}`);
    const created = await fetch(`${api}/instances`, {
      method: 'POST',
      headers: { authorization: platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        element: { key: 'infusionsoftecommerce' },
        providerData: { code },
        configuration: {
          'oauth.callback.url': CALLBACK,
          'oauth.api.key': CLIENT_ID,
          'oauth.api.secret': CLIENT_SECRET,
          'document.tagging': false,
        },
        tags: ['demo'],
        name: 'Demo Online Sales',
      }),
    });
    const instance = await json<{ id: number; name: string; token: string; valid: boolean; element: { key: string } }>(created);
    console.log(`   → ${created.status} instance ${instance.id} "${instance.name}" (${instance.element.key}), valid=${instance.valid}, token ${short(instance.token)}`);

    step("The app lists the customer's orders through the instance");
    const hubAuth = `User ${secrets.user}, Element ${instance.token}`;
    show('GET', '/elements/api-v2/hubs/ecommerce/orders?pageSize=5', `Authorization: User ${short(secrets.user)}, Element ${short(instance.token)}`);
    const res = await fetch(`${api}/hubs/ecommerce/orders?pageSize=5`, { headers: { authorization: hubAuth } });
    const orders = await json<Order[]>(res);
    console.log(`   → ${res.status}, ${res.headers.get('elements-returned-count')} of ${res.headers.get('elements-total-count')} orders, next page token ${res.headers.get('elements-next-page-token') ? 'present' : 'absent'}`);
    for (const order of orders) {
      const who = [order.contact?.first_name, order.contact?.last_name].filter(Boolean).join(' ');
      const items = order.order_items?.length ?? 0;
      console.log(`     #${order.id}  ${(order.order_date ?? '').slice(0, 10)}  ${String(order.total ?? '').padStart(8)}  ${order.status ?? ''}  ${who}  (${items} items)`);
    }
    console.log(`\n${bold('Done.')} The hub and the sandbox are stopping.`);
  } finally {
    await hub.close();
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Order {
  id: number;
  order_date?: string;
  total?: number;
  status?: string;
  contact?: { first_name?: string; last_name?: string };
  order_items?: unknown[];
}

/** Walks the sandbox's sign-in and consent pages the way a browser would, and returns the code. */
async function signIn(oauthUrl: string): Promise<string> {
  const origin = new URL(oauthUrl).origin;
  show('GET', oauthUrl.replace(origin, '<keap>').replace(/client_id=[^&]+/, 'client_id=…'), 'login page');
  const login = await fetch(oauthUrl);
  const loginFields = hiddenFields(await login.text());
  show('POST', '<keap>/app/oauth/login', 'username=jane@example.com password=…');
  const consent = await fetch(`${origin}/app/oauth/login`, {
    method: 'POST',
    body: new URLSearchParams({ ...loginFields, username: 'jane@example.com', password: 'sandbox' }),
  });
  const consentFields = hiddenFields(await consent.text());
  show('POST', '<keap>/app/oauth/consent', 'allow');
  const redirect = await fetch(`${origin}/app/oauth/consent`, {
    method: 'POST',
    body: new URLSearchParams({ ...consentFields, allow: 'allow' }),
    redirect: 'manual',
  });
  const location = redirect.headers.get('location') ?? '';
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`the sandbox did not return a code: ${redirect.status} ${location}`);
  return code;
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1] ?? '')] = unescape(match[2] ?? '');
  }
  return fields;
}

function unescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
