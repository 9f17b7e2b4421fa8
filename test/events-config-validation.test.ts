import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

interface Entry {
  id: number;
  key: string;
  propertyValue: string;
}

const app = { 'oauth.api.key': CLIENT_ID, 'oauth.api.secret': CLIENT_SECRET, 'oauth.callback.url': CALLBACK };

/** `event.*` values are checked on every way in: POST, PUT, PATCH and configuration entries. */
describe('event configuration validation', () => {
  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'events-config-validation' });
    instance = await provision(stack, 'infusionsoftecommerce', {
      configuration: { ...app, 'event.notification.enabled': true, 'event.notification.callback.url': 'http://127.0.0.1:9/cb' },
    });
  });
  afterAll(() => stack.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization: stack.platformAuth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stored = async () => (await call('GET', `/instances/${instance.id}`)).body['configuration'] as Record<string, string>;

  const wrong: [string, unknown, string][] = [
    ['event.notification.enabled', 'yes', 'expected true or false'],
    ['event.vendor.type', 'webhok', 'expected polling or webhook'],
    ['event.notification.callback.url', 'example.com/hook', 'expected an absolute http(s) URL'],
    ['event.notification.callback.url', 'ftp://example.com/hook', 'expected an absolute http(s) URL'],
    ['event.poller.refresh_interval', '0', 'expected a positive whole number'],
    ['event.poller.refresh_interval', 'often', 'expected a positive whole number'],
    ['event.poller.configuration', '{not json', 'is not JSON'],
    ['event.poller.configuration', '[1]', 'must be an object'],
    ['event.poller.configuration', { orders: { pageSize: 'big' } }, 'orders.pageSize'],
  ];

  it.each(wrong)('POST refuses %s = %j, naming the key, and creates nothing', async (key, value, expected) => {
    const before = ((await call('GET', '/instances')).body as unknown as unknown[]).length;
    const res = await call('POST', '/instances', {
      element: { key: 'infusionsoftecommerce' },
      providerData: { code: 'never-exchanged' },
      configuration: { ...app, [key]: value },
    });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('instance.configuration-invalid');
    expect(res.body['message']).toContain(key);
    expect(res.body['message']).toContain(expected);
    expect(((await call('GET', '/instances')).body as unknown as unknown[]).length).toBe(before);
  });

  it.each(wrong)('PATCH and PUT refuse %s = %j and change nothing', async (key, value, expected) => {
    const before = await stored();
    const patched = await call('PATCH', `/instances/${instance.id}`, { configuration: { [key]: value } });
    expect(patched.status).toBe(400);
    expect(patched.body['message']).toContain(expected);
    const put = await call('PUT', `/instances/${instance.id}`, {
      element: { key: 'infusionsoftecommerce' },
      configuration: { ...app, [key]: value },
    });
    expect(put.status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('refuses a wrong value through a configuration entry too', async () => {
    const entries = (await call('GET', `/instances/${instance.id}/configuration`)).body as unknown as Entry[];
    const type = entries.find((e) => e.key === 'event.vendor.type') as Entry;
    const res = await call('PATCH', `/instances/${instance.id}/configuration/${type.id}`, { propertyValue: 'webhok' });
    expect(res.status).toBe(400);
    expect(res.body['message']).toContain("event.vendor.type is 'webhok'; expected polling or webhook");
    expect((await stored())['event.vendor.type']).toBe('polling');
  });

  it('accepts true/false as strings or booleans, webhook and webhooks, and JSON poller configuration', async () => {
    for (const value of [false, 'TRUE', true, 'false']) {
      expect((await call('PATCH', `/instances/${instance.id}`, { configuration: { 'event.notification.enabled': value } })).status).toBe(200);
    }
    const res = await call('PATCH', `/instances/${instance.id}`, {
      configuration: {
        'event.vendor.type': 'webhooks',
        'event.poller.refresh_interval': 5,
        'event.poller.configuration': { orders: { pageSize: 10 } },
        'event.notification.callback.url': 'https://example.com/hook',
      },
    });
    expect(res.status).toBe(200);
    expect(await stored()).toMatchObject({ 'event.vendor.type': 'webhooks', 'event.poller.refresh_interval': '5' });
  });

  it('null resets an entry to its default, or removes it when it has none', async () => {
    const res = await call('PATCH', `/instances/${instance.id}`, {
      configuration: { 'event.vendor.type': null, 'event.poller.refresh_interval': null, 'event.notification.callback.url': null },
    });
    expect(res.status).toBe(200);
    const after = await stored();
    expect(after).toMatchObject({ 'event.vendor.type': 'polling', 'event.poller.refresh_interval': '15' });
    expect(after).not.toHaveProperty('event.notification.callback.url');

    const entries = (await call('GET', `/instances/${instance.id}/configuration`)).body as unknown as Entry[];
    const interval = entries.find((e) => e.key === 'event.poller.refresh_interval') as Entry;
    await call('PATCH', `/instances/${instance.id}/configuration/${interval.id}`, { propertyValue: '7' });
    const reset = await call('PATCH', `/instances/${instance.id}/configuration/${interval.id}`, { propertyValue: null });
    expect(reset.body).toMatchObject({ key: 'event.poller.refresh_interval', propertyValue: '15' });
  });

  it('an element without events offers no event keys and refuses enabling them', async () => {
    const element = (await call('GET', '/elements/infusionsoftcrm')).body;
    expect(element['events']).toEqual({ supported: false, methods: [] });
    const keys = (element['configuration'] as { key: string }[]).map((c) => c.key);
    expect(keys.filter((k) => k.startsWith('event.'))).toEqual([]);
    const ecommerce = (await call('GET', '/elements/infusionsoftecommerce')).body;
    expect(ecommerce['events']).toEqual({ supported: true, methods: ['polling', 'webhook'] });

    const res = await call('POST', '/instances', {
      element: { key: 'infusionsoftcrm' },
      providerData: { code: 'never-exchanged' },
      configuration: { ...app, 'event.notification.enabled': 'true' },
    });
    expect(res.status).toBe(400);
    expect(res.body['message']).toContain('event.notification.enabled cannot be true: infusionsoftcrm has no events');
  });
});
