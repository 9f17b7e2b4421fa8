/**
 * The one OAuth application registered with the sandbox, standing in for an app created on
 * Keap's developer portal, and the checks made against it.
 */
import { timingSafeEqual } from 'node:crypto';

export const CLIENT_ID = 'fake_infusionsoft_client_id';
export const CLIENT_SECRET = 'fake_infusionsoft_client_secret';

/**
 * Callbacks registered by default: a placeholder and the hub's console callback, which is
 * registered under `localhost` as well (see `withLoopbackTwins`).
 */
export const DEFAULT_REDIRECT_URIS: readonly string[] = [
  'http://fake.oauth.callback/url',
  'http://127.0.0.1:8080/elements/api-v2/console/oauth/callback',
];

export interface RegisteredApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export function createRegisteredApp(extraRedirectUris: readonly string[] = []): RegisteredApp {
  const redirectUris = withLoopbackTwins([...DEFAULT_REDIRECT_URIS, ...extraRedirectUris]);
  return { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: 'Junction', redirectUris };
}

/**
 * A console opened at `http://localhost:<port>` sends a callback on `localhost`, one opened at
 * `127.0.0.1` one on `127.0.0.1`; both name the same loopback listener, so an http callback
 * registered on either host is registered on the other too, same port and path. Matching stays
 * exact otherwise.
 */
function withLoopbackTwins(uris: readonly string[]): string[] {
  const all = new Set(uris);
  for (const uri of uris) {
    const twin = uri.startsWith('http://127.0.0.1:')
      ? uri.replace('http://127.0.0.1:', 'http://localhost:')
      : uri.startsWith('http://localhost:')
        ? uri.replace('http://localhost:', 'http://127.0.0.1:')
        : undefined;
    if (twin) all.add(twin);
  }
  return [...all];
}

/**
 * Keap compares the callback byte for byte with the registered one and refuses query strings
 * (keap.md §9.5). Real Keap also demands https; here registration is the test flag that lets an
 * http callback through, so an unregistered URI fails whatever its scheme.
 */
export function isRegisteredRedirect(app: RegisteredApp, uri: string | undefined): boolean {
  if (uri === undefined || uri.includes('?') || uri.includes('#')) return false;
  return app.redirectUris.includes(uri);
}

/**
 * Client credentials from HTTP Basic (preferred, RFC 6749 §2.3.1) or from the form body. The
 * token endpoint accepts either on both grants, as Keap's SDKs use both.
 */
export function readClientCredentials(
  authorization: string | undefined,
  body: Readonly<Record<string, string | undefined>>,
): ClientCredentials | undefined {
  const basic = parseBasic(authorization);
  if (basic) return basic;

  const clientId = body.client_id;
  const clientSecret = body.client_secret;
  if (clientId === undefined || clientSecret === undefined) return undefined;
  return { clientId, clientSecret };
}

export function authenticateClient(app: RegisteredApp, credentials: ClientCredentials | undefined) {
  if (!credentials) return false;
  return safeEqual(credentials.clientId, app.clientId) &&
    safeEqual(credentials.clientSecret, app.clientSecret);
}

function parseBasic(authorization: string | undefined): ClientCredentials | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1 form-encodes id and secret before joining them; plain values pass unchanged.
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** Constant-time comparison, so the sandbox does not model a timing oracle on the secret. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
