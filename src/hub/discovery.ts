import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { objectMetadata } from '../elements/metadata.js';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import type { Services } from '../platform/context.js';
import { instanceOf } from './instance-of.js';

/**
 * Discovery on an instance (spec §5.1): `/objects`, `/objects/{name}/metadata` and `/ping`,
 * under `/hubs/{hub}` and hub-less. `/objects` answers even for a disabled instance, as
 * existing clients rely on.
 */
export function discoveryRoutes(app: App, services: Services): void {
  const objects = async (request: FastifyRequest) => {
    const instance = await instanceOf(services, request, { allowDisabled: true });
    const names = instance.element.resources.map((r) => r.name);
    if (request.headers['elements-version'] === 'Helium') {
      return names.map((name) => ({ name, vendorName: name, type: 'ceCanonical' }));
    }
    return names;
  };
  const metadata = async (request: FastifyRequest<{ Params: { name: string } }>) => {
    const instance = await instanceOf(services, request, { allowDisabled: true });
    const resource = instance.element.resources.find((r) => r.name === request.params.name);
    if (!resource) {
      const path = `/objects/${request.params.name}/metadata`;
      throw apiError('hub.resource-not-found', { method: 'GET', path, element: instance.element.name });
    }
    return objectMetadata(instance.element, resource);
  };
  const ping = async (request: FastifyRequest) => {
    const instance = await instanceOf(services, request);
    const { provider } = instance.element;
    const url = new URL(instance.configuration[provider.baseUrlKey] + provider.ping.path);
    const response = await services.provider.send(instance, { method: 'GET', url });
    return {
      endpoint: instance.element.key,
      instanceId: instance.id,
      valid: response.status < 300,
      providerStatus: response.status,
      dateTime: new Date(services.clock.now()).toISOString(),
    };
  };

  const tags = ['hub discovery'];
  const name = z.object({ name: z.string() });
  for (const prefix of ['/hubs/:hub', '']) {
    app.get(`${prefix}/objects`, { schema: { tags, summary: "List the instance's objects" } }, objects);
    app.get(
      `${prefix}/objects/:name/metadata`,
      { schema: { tags, summary: "An object's fields", params: prefix ? name.extend({ hub: z.string() }) : name } },
      metadata,
    );
    app.get(`${prefix}/ping`, { schema: { tags, summary: "Check the instance's credentials" } }, ping);
  }
}
