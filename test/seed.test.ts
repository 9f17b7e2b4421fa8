import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationCode, CALLBACK, CLIENT_ID, CLIENT_SECRET, startStack, type Stack } from './support/stack.js';

const SEED = join(process.cwd(), '..', 'shared', 'cases', 'seed');

/** Replays the requests of the published seed page (shared/cases/seed/README.md). */
describe('the seed page, replayed', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'seed' });
  });
  afterAll(() => stack.close());

  const origin = () => new URL(stack.api).origin;

  async function replayOauthUrl(element: string) {
    const lines = (await readFile(join(SEED, 'oauth-url.txt'), 'utf8')).trim().split('\n');
    const [method, path] = (lines[0] ?? '').split(' ');
    const headers = Object.fromEntries(
      lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const url = origin() + (path ?? '').replace('/elements/infusionsoftcrm/', `/elements/${element}/`);
    return fetch(url, { method: method ?? 'GET', headers });
  }

  it('oauth-url.txt: answers without credentials with the authorize URL', async () => {
    const res = await replayOauthUrl('infusionsoftcrm');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { element: string; oauthUrl: string };
    expect(body.element).toBe('infusionsoftcrm');
    const url = new URL(body.oauthUrl);
    expect(url.origin).toBe(stack.sandboxUrl);
    expect(url.pathname).toBe('/app/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      scope: 'full',
      state: 'infusionsoftecommerce',
    });
  });

  it('oauth-url.txt for the Online Sales element', async () => {
    const res = await replayOauthUrl('infusionsoftecommerce');
    const body = (await res.json()) as { element: string; oauthUrl: string };
    expect(res.status).toBe(200);
    expect(body.element).toBe('infusionsoftecommerce');
    expect(new URL(body.oauthUrl).searchParams.get('state')).toBe('infusionsoftecommerce');
  });

  const postInstance = (body: string, authorization?: string) =>
    fetch(`${stack.api}/instances`, {
      method: 'POST',
      headers: { authorization: authorization ?? stack.platformAuth, 'content-type': 'application/json' },
      body,
    });

  it('instance.json as published: 404 naming the misspelt key and suggesting the right one', async () => {
    const res = await postInstance(await readFile(join(SEED, 'instance.json'), 'utf8'));
    expect(res.status).toBe(404);
    const body = (await res.json()) as { message: string; requestId: string };
    expect(body.message).toContain("'infusionsoftcommerce'");
    expect(body.message).toContain("did you mean 'infusionsoftecommerce'");
    expect(body.requestId).toBe(res.headers.get('elements-request-id'));
  });

  it('instance.json with the key corrected: 400 naming every missing entry', async () => {
    const text = (await readFile(join(SEED, 'instance.json'), 'utf8')).replace(
      'infusionsoftcommerce',
      'infusionsoftecommerce',
    );
    const res = await postInstance(text);
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as { message: string };
    expect(message).toContain('oauth.api.key');
    expect(message).toContain('oauth.api.secret');
    expect(message).not.toContain('oauth.callback.url');
  });

  it('instance.json filled in: 200 with the instance', async () => {
    const seed = JSON.parse(await readFile(join(SEED, 'instance.json'), 'utf8')) as Record<string, any>;
    seed['element'] = { key: 'infusionsoftecommerce' };
    seed['providerData'] = { code: await authorizationCode(stack) };
    seed['configuration'] = {
      ...seed['configuration'],
      'oauth.callback.url': CALLBACK,
      'oauth.api.key': CLIENT_ID,
      'oauth.api.secret': CLIENT_SECRET,
    };
    seed['name'] = 'My Online Sales';
    const res = await postInstance(JSON.stringify(seed));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body['id']).toEqual(expect.any(Number));
    expect(body['name']).toBe('My Online Sales');
    expect(body['token']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(body['element']).toMatchObject({ key: 'infusionsoftecommerce', id: 321, name: 'Infusionsoft Online Sales', hub: 'ecommerce' });
    expect(body['configuration']['oauth.api.key']).toBe('********');
    expect(body['configuration']['oauth.api.secret']).toBe('********');
    expect(body['configuration']['oauth.user.token']).toBe('********');
    expect(body['configuration']['document.tagging']).toBe('false');
    expect(body).toMatchObject({ valid: true, disabled: false, eventsEnabled: false, cachingEnabled: false, traceLoggingEnabled: false });
    expect(body['tags']).toEqual(['My Online Sales']);
  });

  it("the page's own header 'User , Organization ': 401 saying which secrets are missing", async () => {
    const res = await postInstance('{}', 'User , Organization ');
    expect(res.status).toBe(401);
    const { message } = (await res.json()) as { message: string };
    expect(message).toContain('User secret');
    expect(message).toContain('Organization secret');
  });

  it('curly quotes in the body: 400 that says where the JSON breaks', async () => {
    const res = await postInstance('{"name": “My instance”}');
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as { message: string };
    expect(message).toMatch(/not valid JSON/);
    expect(message).toMatch(/position 9/);
  });
});
