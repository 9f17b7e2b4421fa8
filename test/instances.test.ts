import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationCode,
  CALLBACK,
  CLIENT_ID,
  CLIENT_SECRET,
  provision,
  startStack,
  type Stack,
} from './support/stack.js';

describe('/instances', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'instances' });
  });
  afterAll(() => stack.close());

  const call = (method: string, path: string, body?: unknown, authorization = stack.platformAuth) =>
    fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const configuration = { 'oauth.api.key': CLIENT_ID, 'oauth.api.secret': CLIENT_SECRET, 'oauth.callback.url': CALLBACK };

  it('is protected: no header, a wrong secret, a missing part', async () => {
    const none = await fetch(`${stack.api}/instances`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toContain('Authorization header is missing');
    const wrong = await call('GET', '/instances', undefined, `User ${stack.secrets.user}, Organization 0000`);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toContain('Organization secret');
    const partial = await call('GET', '/instances', undefined, `User ${stack.secrets.user}`);
    expect(((await partial.json()) as { message: string }).message).toContain('missing the Organization secret');
  });

  it('accepts the header parts in any order and any case', async () => {
    const res = await call('GET', '/instances', undefined, `organization ${stack.secrets.organization}, USER ${stack.secrets.user}`);
    expect(res.status).toBe(200);
  });

  it('provisions with sequential ids, sanitized name and tags, masked secrets', async () => {
    const first = await provision(stack, 'infusionsoftecommerce', {
      name: '<a href="https://x">@xss-test</a>',
      tags: ['<b>red</b>', 'blue'],
    });
    const second = await provision(stack);
    expect(second.id).toBe(first.id + 1);
    expect(first.body['name']).toBe('@xss-test');
    expect(first.body['tags']).toEqual(['red', 'blue']);
    expect(second.body['tags']).toEqual([second.body['name']]);
    expect(second.token).not.toBe(first.token);
  });

  it('refuses a code the provider rejects, names the provider message, and creates nothing', async () => {
    const before = (await (await call('GET', '/instances')).json()) as unknown[];
    const res = await call('POST', '/instances', {
      element: { key: 'infusionsoftecommerce' },
      providerData: { code: 'not-a-real-code' },
      configuration,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; providerMessage: string };
    expect(body.message).toContain('refused');
    expect(body.providerMessage).toContain('invalid_grant');
    const after = (await (await call('GET', '/instances')).json()) as unknown[];
    expect(after.length).toBe(before.length);
  });

  it('refuses a reused code', async () => {
    const code = await authorizationCode(stack);
    const body = { element: { key: 'infusionsoftecommerce' }, providerData: { code }, configuration };
    expect((await call('POST', '/instances', body)).status).toBe(200);
    const again = await call('POST', '/instances', body);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { providerMessage: string }).providerMessage).toContain('invalid_grant');
  });

  it('refuses an unknown element with 404 and a missing code with 400', async () => {
    const unknown = await call('POST', '/instances', { element: { key: 'nosuchthing' }, configuration });
    expect(unknown.status).toBe(404);
    const noCode = await call('POST', '/instances', { element: { key: 'infusionsoftecommerce' }, configuration });
    expect(noCode.status).toBe(400);
    expect(((await noCode.json()) as { message: string }).message).toContain('providerData.code');
  });

  it('provisions through /elements/{keyOrId}/instances by key and by id', async () => {
    const code = await authorizationCode(stack);
    const res = await call('POST', '/elements/321/instances', { providerData: { code }, configuration, name: 'by id' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { element: { key: string } }).element.key).toBe('infusionsoftecommerce');
  });

  it('lists with tags[] and searchText', async () => {
    await provision(stack, 'infusionsoftcrm', { name: 'Findable CRM', tags: ['needle'] });
    const byTag = (await (await call('GET', '/instances?tags[]=needle')).json()) as { name: string }[];
    expect(byTag.map((i) => i.name)).toEqual(['Findable CRM']);
    const byText = (await (await call('GET', '/instances?searchText=findable')).json()) as { name: string }[];
    expect(byText.map((i) => i.name)).toEqual(['Findable CRM']);
    const byKey = (await (await call('GET', '/instances?searchText=infusionsoftcrm')).json()) as unknown[];
    expect(byKey.length).toBeGreaterThanOrEqual(1);
  });

  it('PATCH merges configuration, replaces tags, keeps a secret sent back masked', async () => {
    const instance = await provision(stack);
    const res = await call('PATCH', `/instances/${instance.id}`, {
      tags: ['only'],
      configuration: { 'oauth.api.secret': '********', 'filter.response.nulls': false, custom: 'kept' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tags: string[]; configuration: Record<string, string> };
    expect(body.tags).toEqual(['only']);
    expect(body.configuration['filter.response.nulls']).toBe('false');
    expect(body.configuration['custom']).toBe('kept');
    expect(body.configuration['oauth.callback.url']).toBe(CALLBACK);
    // The stored secret still works: the instance can still call the provider with its tokens.
    const hub = await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=1`, { headers: { authorization: instance.hubAuth } });
    expect(hub.status).toBe(200);
  });

  it('PUT with a new code re-provisions in place, keeping id and token', async () => {
    const instance = await provision(stack);
    const code = await authorizationCode(stack);
    const res = await call('PUT', `/instances/${instance.id}?reAuthenticate=true`, {
      element: { key: 'infusionsoftecommerce' },
      providerData: { code },
      configuration,
      name: 'renamed',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: number; token: string; name: string };
    expect(body).toMatchObject({ id: instance.id, token: instance.token, name: 'renamed' });
    const hub = await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=1`, { headers: { authorization: instance.hubAuth } });
    expect(hub.status).toBe(200);
  });

  it('GET of a missing instance is 404; a bad id is 400', async () => {
    expect((await call('GET', '/instances/999999')).status).toBe(404);
    const bad = await call('GET', '/instances/abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe("id must be a number (a positive whole number), not 'abc'");
    const events = await call('GET', '/instances/abc/events');
    expect(events.status).toBe(400);
    expect(((await events.json()) as { message: string }).message).toContain('id must be a number');
    const negative = await call('GET', '/instances/-1');
    expect(((await negative.json()) as { message: string }).message).toContain('id must be a number');
  });

  const send = async (body: string, contentType?: string) => {
    const res = await fetch(`${stack.api}/instances`, {
      method: 'POST',
      headers: { authorization: stack.platformAuth, ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });
    return { status: res.status, body: (await res.json()) as { code: string; message: string } };
  };

  it('a body sent without a JSON content type is 415 and says which to send', async () => {
    const json = JSON.stringify({ element: { key: 'infusionsoftecommerce' } });
    const asForm = await send(json, 'application/x-www-form-urlencoded');
    expect(asForm.status).toBe(415);
    expect(asForm.body.message).toBe(
      'The body looks like JSON but was sent as application/x-www-form-urlencoded; send Content-Type: application/json',
    );
    const form = await send('element=infusionsoftecommerce', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(form.body.message).toContain('send a JSON body with Content-Type: application/json');
    const text = await send(json, 'text/plain');
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ code: 'request.media-type' });
  });

  it.each([
    ['null', 'empty or null'],
    ['[]', 'an array'],
    ['"text"', 'a string'],
  ])('a JSON body of %s where an object is expected is 400 "the body must be a JSON object"', async (body, it) => {
    const res = await send(body, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`the body must be a JSON object; it was ${it}`);
  });

  it('an empty JSON body is 400 "the body must be a JSON object"', async () => {
    const res = await fetch(`${stack.api}/instances/1`, {
      method: 'PATCH',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('the body must be a JSON object');
  });

  it('DELETE removes the instance and its token stops working', async () => {
    const instance = await provision(stack);
    expect((await call('DELETE', `/instances/${instance.id}`)).status).toBe(200);
    expect((await call('GET', `/instances/${instance.id}`)).status).toBe(404);
    const hub = await fetch(`${stack.api}/hubs/ecommerce/orders`, { headers: { authorization: instance.hubAuth } });
    expect(hub.status).toBe(401);
  });

  it('disable makes hub calls 403 until enabled again', async () => {
    const instance = await provision(stack);
    expect((await call('DELETE', `/instances/${instance.id}/enabled`)).status).toBe(200);
    const blocked = await fetch(`${stack.api}/hubs/ecommerce/orders`, { headers: { authorization: instance.hubAuth } });
    expect(blocked.status).toBe(403);
    expect((await call('PUT', `/instances/${instance.id}/enabled`)).status).toBe(200);
    const open = await fetch(`${stack.api}/hubs/ecommerce/orders`, { headers: { authorization: instance.hubAuth } });
    expect(open.status).toBe(200);
  });
});
