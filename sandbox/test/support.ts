/** Shared helpers for the sandbox suites: a frozen clock, a running sandbox, OAuth shortcuts. */
import { request as httpRequest } from 'node:http';
import { startSandbox, type SandboxOptions } from '../src/server.js';

export const CLIENT_ID = 'fake_infusionsoft_client_id';
export const CLIENT_SECRET = 'fake_infusionsoft_client_secret';
export const REDIRECT_URI = 'http://fake.oauth.callback/url';
export const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

/** 2026-01-15T12:00:00Z: on a whole minute, so quota-window arithmetic is easy to follow. */
export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface TestSandbox {
  url: string;
  /** Moves the injected clock. */
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

export async function launch(options: SandboxOptions = {}): Promise<TestSandbox> {
  let now = START;
  const sandbox = await startSandbox({ port: 0, clock: () => now, ...options });
  return {
    url: sandbox.url,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
    close: () => sandbox.close(),
  };
}

export function authorizeUrl(base: string, params: Record<string, string> = {}): string {
  const url = new URL('/app/oauth/authorize', base);
  const defaults = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'full',
    state: 'state-123',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...params })) {
    url.searchParams.set(name, value);
  }
  return url.toString();
}

export function postForm(url: string, fields: Record<string, string>, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** The code from an auto-consent sandbox's authorize redirect. */
export async function authorizeCode(base: string): Promise<string> {
  const response = await fetch(authorizeUrl(base), { redirect: 'manual' });
  const code = new URL(response.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code in redirect (status ${response.status})`);
  return code;
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export async function exchangeCode(base: string, code: string): Promise<TokenBody> {
  const response = await postForm(`${base}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  if (response.status !== 200) throw new Error(`token exchange failed: ${await response.text()}`);
  return (await response.json()) as TokenBody;
}

export function refresh(base: string, refreshToken: string) {
  return postForm(
    `${base}/token`,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    { authorization: BASIC },
  );
}

/** Tokens for an auto-consent sandbox. */
export async function connect(base: string): Promise<TokenBody> {
  return exchangeCode(base, await authorizeCode(base));
}

export function api(base: string, token: string, path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) };
  return fetch(`${base}/crm/rest/v1${path}`, { ...init, headers });
}

export async function control(base: string, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  return fetch(`${base}/_control${path}`, init);
}

/** A request fetch refuses to make: a GET with a body. */
export function getWithBody(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Node sends a GET body without framing unless told its length.
    const framed = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const request = httpRequest(url, { method: 'GET', headers: framed }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A sandbox for read-heavy suites. The spike policy (25/s) is lifted because a frozen clock puts
 * every call of a suite into the same second.
 */
export async function launchWithToken(
  options: SandboxOptions = {},
): Promise<TestSandbox & { token: string; get<T>(path: string): Promise<T> }> {
  const defaults = { autoConsent: true, quotaLimits: { perSecond: 100_000 } };
  const sandbox = await launch({ ...defaults, ...options });
  const { access_token: token } = await connect(sandbox.url);
  return {
    ...sandbox,
    token,
    async get<T>(path: string): Promise<T> {
      const response = await api(sandbox.url, token, path);
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
      return (await response.json()) as T;
    },
  };
}

export interface Envelope {
  count: number;
  next: string;
  previous: string;
  [plural: string]: unknown;
}

/** A JSON write against the REST API. */
export function write(base: string, token: string, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  return api(base, token, path, init);
}
