import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

const ELEMENTS = ['infusionsoftecommerce', 'infusionsoftcrm', 'infusionsoftmarketing', 'infusionsoftrest'];

interface Swagger {
  swagger: string;
  info: { title: string };
  paths: Record<string, Record<string, { tags: string[] }>>;
}

describe('discovery and API documentation', () => {
  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'discovery' });
    instance = await provision(stack);
  });
  afterAll(() => stack.close());

  const get = async <T>(path: string, authorization?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.api}${path}`, { headers: { ...(authorization ? { authorization } : {}), ...headers } });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('lists the objects of the instance, in both forms', async () => {
    const names = await get<string[]>('/hubs/ecommerce/objects', instance.hubAuth);
    expect(names.status).toBe(200);
    expect(names.body).toEqual(expect.arrayContaining(['orders', 'products', 'transactions']));
    const helium = await get<{ name: string; type: string }[]>('/objects', instance.hubAuth, { 'elements-version': 'Helium' });
    expect(helium.body.map((o) => o.name)).toEqual(names.body);
  });

  it("describes an object's fields from the Keap model", async () => {
    const { status, body } = await get<{ fields: { vendorPath: string; type: string; filterable: boolean; createable: boolean }[] }>(
      '/hubs/ecommerce/objects/orders/metadata',
      instance.hubAuth,
    );
    expect(status).toBe(200);
    const field = (name: string) => body.fields.find((f) => f.vendorPath === name);
    expect(field('id')?.type).toBe('number');
    expect(field('order_items')?.type).toBe('array');
    expect(field('modification_date')?.filterable).toBe(true);
    expect(field('title')?.filterable).toBe(false);
    expect(field('since')?.filterable).toBe(true);
    const contacts = await get<{ fields: { vendorPath: string; createable: boolean }[] }>(
      '/hubs/ecommerce/objects/contacts/metadata',
      instance.hubAuth,
    );
    expect(contacts.body.fields.find((f) => f.vendorPath === 'given_name')?.createable).toBe(true);
    expect((await get('/hubs/ecommerce/objects/nothing/metadata', instance.hubAuth)).status).toBe(404);
  });

  it('still lists objects for a disabled instance', async () => {
    const other = await provision(stack);
    await fetch(`${stack.api}/instances/${other.id}/enabled`, { method: 'DELETE', headers: { authorization: stack.platformAuth } });
    expect((await get('/hubs/ecommerce/objects', other.hubAuth)).status).toBe(200);
    expect((await get('/hubs/ecommerce/orders', other.hubAuth)).status).toBe(403);
  });

  it('pings the provider with the instance credentials', async () => {
    const { status, body } = await get<{ valid: boolean; instanceId: number }>('/hubs/ecommerce/ping', instance.hubAuth);
    expect(status).toBe(200);
    expect(body).toMatchObject({ valid: true, instanceId: instance.id });
  });

  it('describes element capabilities in /elements/{id}/metadata', async () => {
    const { body } = await get<{ key: string; events: { supported: boolean; methods: string[]; polling: Record<string, unknown> } }>(
      '/elements/321/metadata',
    );
    expect(body.key).toBe('infusionsoftecommerce');
    expect(body.events.supported).toBe(true);
    expect(body.events.methods).toContain('polling');
    expect(Object.keys(body.events.polling)).toContain('orders');
    const expanded = await get<{ resources: { canonicalName: string }[] }>('/elements/infusionsoftrest/metadata?expand=true');
    expect(expanded.body.resources.map((r) => r.canonicalName)).toContain('commissions');
    expect((await get('/elements/12345/metadata')).status).toBe(404);
  });

  it('documents every element as valid Swagger listing every declared resource', async () => {
    for (const key of ELEMENTS) {
      const element = await get<{ hub: string }>(`/elements/${key}`);
      const objects = await get<string[]>(`/elements/${key}/docs`);
      expect(objects.status).toBe(200);
      const doc = objects.body as unknown as Swagger;
      await SwaggerParser.validate(structuredClone(doc) as never);
      const tags = new Set(Object.values(doc.paths).flatMap((p) => Object.values(p).flatMap((o) => o.tags)));
      const resources = (await get<{ resources: { canonicalName: string }[] }>(`/elements/${key}/metadata?expand=true`)).body.resources;
      for (const r of resources) expect(tags).toContain(r.canonicalName);
      expect(Object.keys(doc.paths).every((p) => p.startsWith(`/hubs/${element.body.hub}/`))).toBe(true);
    }
  });

  it("documents an instance's hub API, by id and by token", async () => {
    const byId = await get<Swagger>(`/instances/${instance.id}/docs`, stack.platformAuth);
    expect(byId.status).toBe(200);
    await SwaggerParser.validate(structuredClone(byId.body) as never);
    expect(byId.body.info.title).toContain('Infusionsoft Online Sales');
    expect(Object.keys(byId.body.paths)).toContain('/hubs/ecommerce/orders/{id}');
    const byToken = await get<Swagger>('/instances/docs', `${stack.platformAuth}, Element ${instance.token}`);
    expect(byToken.body.paths).toEqual(byId.body.paths);
    expect((await get(`/instances/${instance.id}/docs`)).status).toBe(401);
  });

  it('serves the platform API as a valid OpenAPI document and a docs page without a CDN', async () => {
    const res = await fetch(`${stack.api}/docs/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/elements/api-v2/instances', '/elements/api-v2/elements/{keyOrId}/oauth/url']));
    const page = await (await fetch(`${stack.api}/docs/`)).text();
    expect(page).toContain('openapi.json');
    expect(page).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
    const script = await fetch(`${stack.api}/docs/js/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });
});
