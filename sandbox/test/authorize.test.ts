import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  CLIENT_ID,
  launch,
  postForm,
  REDIRECT_URI,
  type TestSandbox,
} from './support.js';

/** Values of the hidden inputs of an HTML form, by name. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&');
  }
  return fields;
}

describe('GET /app/oauth/authorize', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await launch({ redirectUris: ['https://hub.example/callback'] });
  });
  afterAll(() => sandbox.close());

  it('rejects an unknown client with an HTML 400 and no redirect', async () => {
    const response = await fetch(authorizeUrl(sandbox.url, { client_id: 'nope' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('client_id');
  });

  it.each([
    ['an unregistered callback', 'http://evil.example/cb'],
    ['a registered callback with a query string', `${REDIRECT_URI}?x=1`],
    ['a registered callback with another scheme', 'https://fake.oauth.callback/url'],
    ['a registered callback with a trailing slash', `${REDIRECT_URI}/`],
  ])('rejects %s without redirecting to it', async (_label, redirectUri) => {
    const response = await fetch(authorizeUrl(sandbox.url, { redirect_uri: redirectUri }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Invalid redirect_uri');
  });

  it('redirects invalid_scope to a trusted callback for any scope but full', async () => {
    const response = await fetch(authorizeUrl(sandbox.url, { scope: 'offline_access' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('redirects unsupported_response_type for response_type=token', async () => {
    const response = await fetch(authorizeUrl(sandbox.url, { response_type: 'token' }), {
      redirect: 'manual',
    });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('accepts an absent scope as full', async () => {
    const url = new URL(authorizeUrl(sandbox.url));
    url.searchParams.delete('scope');
    const response = await fetch(url);
    expect(response.status).toBe(200);
  });

  it('shows a sign-in page the CE automation can drive', async () => {
    const response = await fetch(authorizeUrl(sandbox.url));
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('<input id="username"');
    expect(html).toMatch(/<input id="password"[^>]*type="password"/);
    expect(html).toMatch(/<button class="btn-primary" type="submit">/);
    expect(html).toContain('<label for="username">');
    expect(hiddenFields(html)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'full',
      state: 'state-123',
    });
  });

  it('asks again when the username or password is empty', async () => {
    const login = await fetch(authorizeUrl(sandbox.url)).then((r) => r.text());
    const response = await postForm(`${sandbox.url}/app/oauth/login`, {
      ...hiddenFields(login),
      username: 'jane@example.com',
      password: '',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="password"');
  });

  const consent = (fields: Record<string, string>) =>
    postForm(`${sandbox.url}/app/oauth/consent`, fields);

  async function consentPage(redirectUri = REDIRECT_URI): Promise<string> {
    const login = await fetch(authorizeUrl(sandbox.url, { redirect_uri: redirectUri })).then((r) =>
      r.text(),
    );
    const response = await postForm(`${sandbox.url}/app/oauth/login`, {
      ...hiddenFields(login),
      username: 'jane@example.com',
      password: 'secret',
    });
    expect(response.status).toBe(200);
    return response.text();
  }

  it('signs in to a consent page with a primary allow and a secondary deny button', async () => {
    const html = await consentPage();
    expect(html).toMatch(/<button class="btn-primary"[^>]*name="allow"/);
    expect(html).toMatch(/<button class="btn-secondary"[^>]*name="deny"/);
    expect(html.match(/btn-primary"/g)?.length).toBe(1);
  });

  it('redirects with a code and the state after allow', async () => {
    const fields = hiddenFields(await consentPage());
    const response = await consent({ ...fields, allow: 'allow' });

    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('redirects to an extra registered https callback', async () => {
    const fields = hiddenFields(await consentPage('https://hub.example/callback'));
    const response = await consent({ ...fields, allow: 'allow' });
    expect(response.headers.get('location')).toMatch(/^https:\/\/hub\.example\/callback\?code=/);
  });

  it.each([
    'http://localhost:8080/elements/api-v2/console/oauth/callback',
    'http://127.0.0.1:8080/elements/api-v2/console/oauth/callback',
  ])('redirects to the console callback at %s, whichever loopback host the console was opened at', async (uri) => {
    const fields = hiddenFields(await consentPage(uri));
    const response = await consent({ ...fields, allow: 'allow' });
    expect(response.headers.get('location')).toMatch(new RegExp(`^${uri.replace(/[.?]/g, '\\$&')}\\?code=`));
  });

  it('registers the localhost twin of an extra 127.0.0.1 callback, and no other host', async () => {
    const other = await launch({ redirectUris: ['http://127.0.0.1:9123/cb'] });
    try {
      const twin = await fetch(authorizeUrl(other.url, { redirect_uri: 'http://localhost:9123/cb' }));
      expect(twin.status).toBe(200);
      const stranger = await fetch(authorizeUrl(other.url, { redirect_uri: 'http://0.0.0.0:9123/cb' }));
      expect(stranger.status).toBe(400);
    } finally {
      await other.close();
    }
  });

  it('redirects with error=access_denied after deny', async () => {
    const fields = hiddenFields(await consentPage());
    const response = await consent({ ...fields, deny: 'deny' });

    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses a consent form that did not come from a sign-in, or is replayed', async () => {
    const fields = hiddenFields(await consentPage());
    const forged = await postForm(`${sandbox.url}/app/oauth/consent`, {
      ...fields,
      login_ticket: 'made-up',
      allow: 'allow',
    });
    expect(forged.status).toBe(400);

    await consent({ ...fields, allow: 'allow' });
    const replay = await consent({ ...fields, allow: 'allow' });
    expect(replay.status).toBe(400);
  });

  it('revalidates the callback posted back by the consent form', async () => {
    const fields = hiddenFields(await consentPage());
    const response = await postForm(`${sandbox.url}/app/oauth/consent`, {
      ...fields,
      redirect_uri: 'http://evil.example/cb',
      allow: 'allow',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('GET /app/oauth/authorize with autoConsent', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
  });
  afterAll(() => sandbox.close());

  it('redirects at once with a code', async () => {
    const response = await fetch(authorizeUrl(sandbox.url), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('still refuses an unregistered callback', async () => {
    const response = await fetch(authorizeUrl(sandbox.url, { redirect_uri: 'http://x.example/' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
  });
});
