import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { CLIENT_SECRET, LOG_DIR } from '../support/stack.js';
import { sessionCookie, startConsoleStack, type ConsoleStack } from './support.js';

/** A clock the test moves; the sandbox keeps real time, only the hub's state expiry moves. */
function manualClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async () => {},
    advance: (ms) => {
      offset += ms;
    },
  };
}

describe('GET /elements/api-v2/console/oauth/callback: the state rules', () => {
  let stack: ConsoleStack;
  const clock = manualClock();
  beforeAll(async () => {
    stack = await startConsoleStack({ autoConsent: true, clock, name: 'console-callback' });
  });
  afterAll(() => stack.close());

  const signIn = async () => {
    const res = await fetch(`${stack.origin}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: stack.secrets.user, organization: stack.secrets.organization }),
    });
    return sessionCookie(res);
  };
  /** Starts a sign-in and follows the (auto-consenting) provider back to the callback URL. */
  const startSignIn = async (cookie: string, name = 'callback test', extra = {}) => {
    const start = await fetch(`${stack.origin}/console/oauth/start`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ element: 'infusionsoftecommerce', name, ...extra }),
    });
    expect(start.status).toBe(200);
    const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
    const provider = await fetch(authorizeUrl, { redirect: 'manual' });
    return new URL(provider.headers.get('location') ?? '');
  };
  const callback = (url: URL | string, cookie?: string) =>
    fetch(url, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });
  const instanceCount = async () => {
    const res = await fetch(`${stack.api}/instances`, {
      headers: { authorization: stack.platformAuth },
    });
    return ((await res.json()) as unknown[]).length;
  };

  it('is protected: starting a sign-in needs a session', async () => {
    const res = await fetch(`${stack.origin}/console/oauth/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ element: 'infusionsoftecommerce', name: 'x' }),
    });
    expect(res.status).toBe(401);
  });

  it('sends a random state, not the element key, and provisions once on the way back', async () => {
    const cookie = await signIn();
    const back = await startSignIn(cookie, 'from the callback');
    const state = back.searchParams.get('state') ?? '';
    expect(state).not.toBe('infusionsoftecommerce');
    expect(state.length).toBeGreaterThanOrEqual(32);
    expect(back.origin + back.pathname).toBe(
      `${stack.origin}/elements/api-v2/console/oauth/callback`,
    );

    const done = await callback(back, cookie);
    expect(done.status).toBe(302);
    const location = done.headers.get('location') ?? '';
    expect(location).toMatch(/^\/console\/instances\/\d+\?authenticated=1$/);
    const id = Number(/instances\/(\d+)/.exec(location)?.[1]);
    const instance = await fetch(`${stack.api}/instances/${id}`, {
      headers: { authorization: stack.platformAuth },
    });
    expect(((await instance.json()) as { name: string }).name).toBe('from the callback');
  });

  it('refuses a replayed callback and creates nothing more', async () => {
    const cookie = await signIn();
    const back = await startSignIn(cookie);
    expect((await callback(back, cookie)).status).toBe(302);
    const before = await instanceCount();
    const replay = await callback(back, cookie);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toContain('text/html');
    const page = await replay.text();
    expect(page).toContain('Sign-in not completed');
    expect(page).toContain('console.state-invalid');
    expect(await instanceCount()).toBe(before);
  });

  it("refuses another session's state, and a callback without any session", async () => {
    const mine = await signIn();
    const theirs = await signIn();
    const back = await startSignIn(mine);
    const before = await instanceCount();
    const foreign = await callback(back, theirs);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('console.state-invalid');
    const anonymous = await callback(back);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('console.session-missing');
    expect(await instanceCount()).toBe(before);
  });

  it('refuses an expired state after ten minutes', async () => {
    const cookie = await signIn();
    const back = await startSignIn(cookie);
    clock.advance(10 * 60_000 + 1);
    const before = await instanceCount();
    const late = await callback(back, cookie);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('console.state-expired');
    expect(await instanceCount()).toBe(before);
  });

  it('ends access_denied on a clear page, creates nothing, and uses up the state', async () => {
    const cookie = await signIn();
    const back = await startSignIn(cookie);
    const state = back.searchParams.get('state') ?? '';
    const before = await instanceCount();
    const denied = new URL(`${stack.origin}/elements/api-v2/console/oauth/callback`);
    denied.search = new URLSearchParams({ error: 'access_denied', state }).toString();
    const page = await callback(denied, cookie);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('Access was denied at the provider');
    expect(html).toContain('No instance was created');
    expect((await callback(back, cookie)).status).toBe(400);
    expect(await instanceCount()).toBe(before);
  });

  it('logs no secret, session cookie, code or state', async () => {
    const cookie = await signIn();
    const back = await startSignIn(cookie, 'logged');
    await callback(back, cookie);
    const files = (await readdir(LOG_DIR)).filter((f) => f.startsWith('console-callback-'));
    const logs = (await Promise.all(files.map((f) => readFile(join(LOG_DIR, f), 'utf8')))).join('');
    expect(logs).toContain('/console/oauth/callback');
    const secrets = [
      stack.secrets.user,
      stack.secrets.organization,
      CLIENT_SECRET,
      cookie.split('=')[1] ?? '',
      back.searchParams.get('code') ?? '',
      back.searchParams.get('state') ?? '',
    ];
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });

  it('re-authenticates an existing instance in place: same id, same token, nothing new', async () => {
    const cookie = await signIn();
    const first = await callback(await startSignIn(cookie, 'to refresh'), cookie);
    const id = Number(/instances\/(\d+)/.exec(first.headers.get('location') ?? '')?.[1]);
    const { token } = (await (
      await fetch(`${stack.api}/instances/${id}`, { headers: { authorization: stack.platformAuth } })
    ).json()) as { token: string };
    const before = await instanceCount();

    const again = await callback(await startSignIn(cookie, '', { instanceId: id }), cookie);
    expect(again.headers.get('location')).toBe(`/console/instances/${id}?authenticated=1`);
    expect(await instanceCount()).toBe(before);
    const orders = await fetch(`${stack.api}/hubs/ecommerce/orders`, {
      headers: { authorization: `User ${stack.secrets.user}, Element ${token}` },
    });
    expect(orders.status).toBe(200);
  });

  it('asks for a name for a new instance', async () => {
    const cookie = await signIn();
    const res = await fetch(`${stack.origin}/console/oauth/start`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ element: 'infusionsoftecommerce' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('name is missing');
  });
});
