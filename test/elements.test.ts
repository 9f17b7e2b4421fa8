import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, CLIENT_ID, startStack, type Stack } from './support/stack.js';

interface ElementJson {
  id: number;
  key: string;
  name: string;
  hub: string;
  description: string;
  authentication: { type: string };
  configuration: { key: string; required: boolean; defaultValue: string; type: string }[];
}

describe('/elements and /elements/{keyOrId}/oauth/url', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'elements' });
  });
  afterAll(() => stack.close());

  const get = async <T>(path: string, init?: RequestInit) => {
    const res = await fetch(`${stack.api}${path}`, init);
    return { status: res.status, body: (await res.json()) as T };
  };

  it('lists the four Infusionsoft elements without credentials', async () => {
    const { status, body } = await get<ElementJson[]>('/elements');
    expect(status).toBe(200);
    expect(body.map((e) => e.key).sort()).toEqual([
      'infusionsoftcrm',
      'infusionsoftecommerce',
      'infusionsoftmarketing',
      'infusionsoftrest',
    ]);
    for (const element of body) {
      expect(element).toMatchObject({ authentication: { type: 'oauth2' } });
      expect(element.name && element.description).toBeTruthy();
    }
    const keys = await get<string[]>('/elements/keys');
    expect(keys.body.sort()).toEqual(body.map((e) => e.key).sort());
  });

  it('finds an element by key and by numeric id, with its configuration definitions', async () => {
    const byKey = await get<ElementJson>('/elements/infusionsoftecommerce');
    const byId = await get<ElementJson>('/elements/321');
    expect(byId.body).toEqual(byKey.body);
    expect(byKey.body).toMatchObject({ id: 321, name: 'Infusionsoft Online Sales', hub: 'ecommerce' });
    const config = new Map(byKey.body.configuration.map((c) => [c.key, c]));
    for (const key of ['oauth.api.key', 'oauth.api.secret', 'oauth.callback.url']) {
      expect(config.get(key)?.required).toBe(true);
    }
    expect(config.get('oauth.scope')?.defaultValue).toBe('full');
    expect(config.get('oauth.user.refresh_interval')?.defaultValue).toBe('28800');
    expect(config.get('pagination.max')?.defaultValue).toBe('100');
    expect(config.get('event.notification.enabled')?.defaultValue).toBe('false');
    expect(config.get('event.vendor.type')?.defaultValue).toBe('polling');
    const poller = JSON.parse(config.get('event.poller.configuration')?.defaultValue ?? '{}') as Record<string, { url: string }>;
    expect(poller['orders']?.url).toContain("/hubs/ecommerce/orders?where=since=");
    // Every oauth URL points at the sandbox the hub is configured with.
    for (const key of ['oauth.authorization.url', 'oauth.token.url', 'base.url']) {
      expect(config.get(key)?.defaultValue.startsWith(stack.sandboxUrl)).toBe(true);
    }
  });

  it('answers 404 for an unknown element, suggesting the nearest key', async () => {
    const { status, body } = await get<{ message: string }>('/elements/infusionsoftcommerce');
    expect(status).toBe(404);
    expect(body.message).toContain("did you mean 'infusionsoftecommerce'");
    expect((await get('/elements/99999')).status).toBe(404);
  });

  it('POST oauth/url takes the same fields as a JSON body', async () => {
    const { status, body } = await get<{ element: string; oauthUrl: string }>('/elements/infusionsoftrest/oauth/url', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: CLIENT_ID, apiSecret: 'x', callbackUrl: CALLBACK }),
    });
    expect(status).toBe(200);
    expect(body.element).toBe('infusionsoftrest');
    const url = new URL(body.oauthUrl);
    expect(url.searchParams.get('state')).toBe('infusionsoftrest');
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
  });

  it('oauth/url: 404 for an unknown element, 400 naming a missing apiKey or callbackUrl', async () => {
    expect((await get(`/elements/nope/oauth/url?apiKey=a&callbackUrl=${CALLBACK}`)).status).toBe(404);
    const noKey = await get<{ message: string }>(`/elements/infusionsoftecommerce/oauth/url?callbackUrl=${CALLBACK}`);
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toContain('apiKey');
    const noCallback = await get<{ message: string }>('/elements/infusionsoftecommerce/oauth/url?apiKey=a');
    expect(noCallback.status).toBe(400);
    expect(noCallback.body.message).toContain('callbackUrl');
    expect(noCallback.body.message).not.toContain('apiKey');
  });

  it('serves the hub catalog', async () => {
    expect((await get<string[]>('/hubs/keys')).body).toEqual(['crm', 'ecommerce', 'marketing']);
    const hub = await get<{ key: string }>('/hubs/ecommerce');
    expect(hub.body.key).toBe('ecommerce');
    const elements = await get<ElementJson[]>('/hubs/ecommerce/elements');
    expect(elements.body.map((e) => e.key)).toEqual(['infusionsoftecommerce']);
  });

  it('answers unknown platform paths with a 404 error body', async () => {
    const { status, body } = await get<{ message: string; requestId: string }>('/no/such/thing');
    expect(status).toBe(404);
    expect(body.message).toContain('/no/such/thing');
  });

  it('answers a body in another content type with 415 naming it, and points / at the console', async () => {
    for (const type of ['application/xml', 'text/plain']) {
      const res = await fetch(`${stack.api}/instances`, {
        method: 'POST',
        headers: { authorization: stack.platformAuth, 'content-type': type },
        body: '<a/>',
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { message: string }).message).toContain(type);
    }
    const root = await fetch(new URL(stack.api).origin, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/console');
  });
});
