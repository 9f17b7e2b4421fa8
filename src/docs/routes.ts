import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { BASE_PATH, type App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import { instanceOf } from '../hub/instance-of.js';
import { docsPage } from './page.js';
import { elementSwagger } from './swagger.js';

export const PLATFORM_OPENAPI = `${BASE_PATH}/docs/openapi.json`;

/**
 * API documentation: the platform API's own OpenAPI document (generated from the route
 * schemas) with a docs page bundled with the server, and Swagger documents per element and
 * per instance of their hub resources.
 */
export async function docsRoutes(app: App, services: Services): Promise<void> {
  const tags = ['docs'];
  app.get(PLATFORM_OPENAPI, { schema: { hide: true } }, async () => app.swagger());
  docsPage(app, { prefix: `${BASE_PATH}/docs`, specUrl: PLATFORM_OPENAPI });

  app.register(
    async (api) => {
      const scoped = api as unknown as App;
      scoped.get(
        '/elements/:keyOrId/docs',
        { schema: { tags, summary: "An element's hub API as Swagger 2.0", params: z.object({ keyOrId: z.string() }) } },
        async (request) => {
          const key = request.params.keyOrId;
          const element = services.catalog.find(key);
          if (!element) throw apiError('element.not-found', { key, suggestion: services.catalog.suggest(key) });
          return elementSwagger(element, { basePath: BASE_PATH });
        },
      );
      scoped.get(
        '/instances/:id/docs',
        {
          schema: {
            tags,
            summary: "An instance's hub API as Swagger 2.0",
            params: z.object({ id: z.coerce.number().int().positive() }),
          },
        },
        async (request) => {
          const instance = await services.instances.get(await principalOf(services, request), request.params.id);
          return elementSwagger(instance.element, { basePath: BASE_PATH, title: `${instance.name} (${instance.element.name})` });
        },
      );
      scoped.get(
        '/instances/docs',
        { schema: { tags, summary: "The calling instance's hub API as Swagger 2.0" } },
        async (request) => {
          await principalOf(services, request);
          const instance = await instanceOf(services, request, { allowDisabled: true });
          return elementSwagger(instance.element, { basePath: BASE_PATH, title: `${instance.name} (${instance.element.name})` });
        },
      );
    },
    { prefix: BASE_PATH },
  );
}
