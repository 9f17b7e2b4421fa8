import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startConsoleStack, type ConsoleStack } from './support.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe('legacy console login: POST /elements/j_spring_security_check, GET /elements/api-v1/ui/getSecrets', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack({ name: 'legacy-login' });
  });
  afterAll(() => stack.close());

  it('is protected: getSecrets without a session is 401', async () => {
    const res = await fetch(`${stack.origin}/elements/api-v1/ui/getSecrets`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('console.session-missing');
  });

  it('answers 200 (not a redirect) with an HttpOnly, SameSite session cookie, and getSecrets hands the secrets back', async () => {
    const login = await fetch(
      `${stack.origin}/elements/j_spring_security_check`,
      form({ j_username: stack.secrets.user, j_password: stack.secrets.organization }),
    );
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const secrets = await fetch(`${stack.origin}/elements/api-v1/ui/getSecrets`, {
      headers: { cookie: sessionCookie(login) },
    });
    expect(secrets.status).toBe(200);
    expect(await secrets.json()).toEqual({
      user: stack.secrets.user,
      company: stack.secrets.organization,
    });
  });

  it('refuses wrong secrets with 401 and sets no cookie', async () => {
    const login = await fetch(
      `${stack.origin}/elements/j_spring_security_check`,
      form({ j_username: stack.secrets.user, j_password: 'not-the-organization-secret' }),
    );
    expect(login.status).toBe(401);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(((await login.json()) as { code: string }).code).toBe('console.sign-in-failed');
  });

  it('ends the session at sign-out', async () => {
    const login = await fetch(
      `${stack.origin}/elements/j_spring_security_check`,
      form({ j_username: stack.secrets.user, j_password: stack.secrets.organization }),
    );
    const cookie = sessionCookie(login);
    const out = await fetch(`${stack.origin}/console/session`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(out.status).toBe(204);
    const after = await fetch(`${stack.origin}/elements/api-v1/ui/getSecrets`, {
      headers: { cookie },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a page of another origin (same site, other port) reading the secrets', async () => {
    const login = await fetch(
      `${stack.origin}/elements/j_spring_security_check`,
      form({ j_username: stack.secrets.user, j_password: stack.secrets.organization }),
    );
    const res = await fetch(`${stack.origin}/elements/api-v1/ui/getSecrets`, {
      headers: { cookie: sessionCookie(login), origin: stack.sandboxUrl },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('console.origin-refused');
  });
});

describe('console session and API proxy: /console/session, /console/api/*', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack({ name: 'console-session' });
  });
  afterAll(() => stack.close());

  const signIn = async () => {
    const res = await fetch(`${stack.origin}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: stack.secrets.user, organization: stack.secrets.organization }),
    });
    expect(res.status).toBe(200);
    return sessionCookie(res);
  };

  it('is protected: the proxy without a session is 401', async () => {
    const res = await fetch(`${stack.origin}/console/api/instances`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('console.session-missing');
  });

  it('tells who is signed in and prefills the configured client id, never the secret', async () => {
    const cookie = await signIn();
    const me = await fetch(`${stack.origin}/console/session`, { headers: { cookie } });
    const body = (await me.json()) as {
      apps: Record<string, { clientId: string; clientSecretConfigured: boolean }>;
      callbackUrl: string;
    };
    expect(body.apps['infusionsoftecommerce']).toEqual({
      clientId: 'fake_infusionsoft_client_id',
      clientSecretConfigured: true,
    });
    expect(body.callbackUrl).toBe(`${stack.origin}/elements/api-v2/console/oauth/callback`);
    expect(JSON.stringify(body)).not.toContain(stack.secrets.user);
  });

  it('forwards to the public API with the session secrets and its error bodies', async () => {
    const cookie = await signIn();
    const list = await fetch(`${stack.origin}/console/api/instances`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.headers.get('elements-request-id')).toBeTruthy();
    const missing = await fetch(`${stack.origin}/console/api/instances/999999`, {
      headers: { cookie },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('instance.not-found');
  });

  it('refuses a write from another origin', async () => {
    const cookie = await signIn();
    const res = await fetch(`${stack.origin}/console/api/instances/1`, {
      method: 'DELETE',
      headers: { cookie, origin: 'http://127.0.0.1:1' },
    });
    expect(res.status).toBe(403);
  });
});
