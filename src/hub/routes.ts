import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import type { Services } from '../platform/context.js';
import { instanceOf } from './instance-of.js';
import { proxy } from './proxy.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Hub calls: `/hubs/{hub}/{resource}…` and the hub-less alias `/{resource}…`. The Element
 * token alone selects the instance; the hub segment is cosmetic (spec §3.5).
 */
export function hubRoutes(app: App, services: Services): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    const instance = await instanceOf(services, request);
    const matched = services.matcher.match(instance.element, request.method, path);
    if (!matched) {
      throw apiError('hub.resource-not-found', { method: request.method, path, element: instance.element.name });
    }
    const query = request.query as Record<string, string | undefined>;
    return proxy(services.provider, { instance, matched, query, body: request.body }, reply);
  };

  app.route({
    method: [...methods],
    url: '/hubs/:hub/*',
    schema: { hide: true },
    handler: (request, reply) => handle(request, reply, `/${(request.params as { '*': string })['*']}`),
  });
  app.route({
    method: [...methods],
    url: '/*',
    schema: { hide: true },
    handler: (request, reply) => handle(request, reply, `/${(request.params as { '*': string })['*']}`),
  });
}
