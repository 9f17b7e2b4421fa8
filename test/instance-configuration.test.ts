import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

interface Entry {
  id: number;
  key: string;
  propertyValue: string;
}

describe('/instances/{id}/configuration and /instances/configuration', () => {
  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'instance-configuration' });
    instance = await provision(stack);
  });
  afterAll(() => stack.close());

  const call = (method: string, path: string, body?: unknown, authorization = stack.platformAuth) =>
    fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const tokenAuth = () => `${stack.platformAuth}, Element ${instance.token}`;

  it('is protected', async () => {
    expect((await call('GET', `/instances/${instance.id}/configuration`, undefined, '')).status).toBe(401);
    expect((await call('GET', '/instances/configuration')).status).toBe(401);
  });

  it('lists entries with ids, keys and values, secrets masked', async () => {
    const res = await call('GET', `/instances/${instance.id}/configuration`);
    expect(res.status).toBe(200);
    const entries = (await res.json()) as Entry[];
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect(byKey.get('event.notification.enabled')?.propertyValue).toBe('false');
    expect(byKey.get('oauth.api.secret')?.propertyValue).toBe('********');
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const scoped = (await (await call('GET', '/instances/configuration', undefined, tokenAuth())).json()) as Entry[];
    expect(scoped).toEqual(entries);
  });

  it('reads and changes one entry; the change shows at once', async () => {
    const entries = (await (await call('GET', `/instances/${instance.id}/configuration`)).json()) as Entry[];
    const nulls = entries.find((e) => e.key === 'filter.response.nulls') as Entry;
    const one = await call('GET', `/instances/${instance.id}/configuration/${nulls.id}`);
    expect(((await one.json()) as Entry).key).toBe('filter.response.nulls');

    const patched = await call('PATCH', `/instances/${instance.id}/configuration/${nulls.id}`, { ...nulls, propertyValue: 'false' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: nulls.id, key: 'filter.response.nulls', propertyValue: 'false' });
    const view = (await (await call('GET', `/instances/${instance.id}`)).json()) as { configuration: Record<string, string> };
    expect(view.configuration['filter.response.nulls']).toBe('false');

    const events = entries.find((e) => e.key === 'event.notification.enabled') as Entry;
    const on = await call('PATCH', `/instances/configuration/${events.id}`, { propertyValue: true }, tokenAuth());
    expect(((await on.json()) as Entry).propertyValue).toBe('true');
    const after = (await (await call('GET', `/instances/${instance.id}`)).json()) as { eventsEnabled: boolean };
    expect(after.eventsEnabled).toBe(true);
  });

  it('answers 400 for an entry id that is not a number', async () => {
    const res = await call('GET', `/instances/${instance.id}/configuration/abc`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe("configId must be a number (a positive whole number), not 'abc'");
    const bad = await call('GET', '/instances/abc/configuration');
    expect(((await bad.json()) as { message: string }).message).toBe("id must be a number (a positive whole number), not 'abc'");
  });

  it('answers 404 for an unknown entry id', async () => {
    const res = await call('GET', `/instances/${instance.id}/configuration/42`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('instance.configuration-not-found');
  });
});
