import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { BASE_PATH } from '../http/server.js';
import { elementView } from '../instances/view.js';
import type { Services } from './context.js';

/** The hub catalog (spec §5.1); no credentials needed. */
export function hubCatalogRoutes(app: App, services: Services): void {
  const hubView = (h: (typeof services.catalog.hubs)[number]) => ({ ...h, videoLink: '', active: true });
  const find = (key: string) => {
    const hub = services.catalog.hubs.find((h) => h.key === key);
    if (!hub) throw apiError('route.not-found', { method: 'GET', path: `/hubs/${key}` });
    return hub;
  };
  const params = z.object({ key: z.string() });

  app.get('/hubs', { schema: { tags: ['hubs'], summary: 'List hubs' } }, async () =>
    services.catalog.hubs.map(hubView),
  );
  app.get('/hubs/keys', { schema: { tags: ['hubs'], summary: 'List hub keys' } }, async () =>
    services.catalog.hubs.map((h) => h.key),
  );
  app.get('/hubs/:key', { schema: { tags: ['hubs'], summary: 'Retrieve a hub', params } }, async (request) =>
    hubView(find(request.params.key)),
  );
  app.get(
    '/hubs/:key/elements',
    { schema: { tags: ['hubs'], summary: "List a hub's elements", params } },
    async (request) => {
      const hub = find(request.params.key);
      return services.catalog.elements.filter((e) => e.hub === hub.key).map((e) => elementView(e, BASE_PATH));
    },
  );
}
