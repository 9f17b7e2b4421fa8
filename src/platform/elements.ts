import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Element } from '../elements/schema.js';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { BASE_PATH } from '../http/server.js';
import { authorizeUrl } from '../oauth/url.js';
import { elementView } from '../instances/view.js';
import type { Services } from './context.js';

const keyOrId = z.object({ keyOrId: z.string() });

const oauthUrlInput = z
  .object({
    apiKey: z.string().optional(),
    apiSecret: z.string().optional(),
    callbackUrl: z.string().optional(),
    state: z.string().optional(),
    scope: z.string().optional(),
  })
  .passthrough();

/** The element catalog and the OAuth URL builder; none of these need credentials. */
export function elementRoutes(app: App, services: Services, imagesDir: string): void {
  const find = (key: string): Element => {
    const element = services.catalog.find(key);
    if (!element) throw apiError('element.not-found', { key, suggestion: services.catalog.suggest(key) });
    return element;
  };

  app.get('/elements', { schema: { tags: ['elements'], summary: 'List elements' } }, async () =>
    services.catalog.elements.map((e) => elementView(e, BASE_PATH)),
  );
  app.get('/elements/keys', { schema: { tags: ['elements'], summary: 'List element keys' } }, async () =>
    services.catalog.elements.map((e) => e.key),
  );
  app.get(
    '/elements/:keyOrId',
    { schema: { tags: ['elements'], summary: 'Retrieve an element', params: keyOrId } },
    async (request) => elementView(find(request.params.keyOrId), BASE_PATH),
  );
  app.get(
    '/elements/:keyOrId/image',
    { schema: { tags: ['elements'], summary: "An element's logo", params: keyOrId } },
    async (request, reply) => {
      const element = find(request.params.keyOrId);
      const svg = await readFile(`${imagesDir}/${element.provider.name}/${element.image}`);
      return reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(svg);
    },
  );

  app.get(
    '/elements/:keyOrId/metadata',
    {
      schema: {
        tags: ['elements'],
        summary: "An element's capabilities",
        params: keyOrId,
        querystring: z.object({ expand: z.string().optional() }),
      },
    },
    async (request) => elementMetadata(find(request.params.keyOrId), request.query.expand === 'true'),
  );

  const oauthUrl = (key: string, input: z.infer<typeof oauthUrlInput>) => {
    const element = find(key);
    const missing = [input.apiKey ? '' : 'apiKey', input.callbackUrl ? '' : 'callbackUrl'].filter(Boolean);
    if (missing.length > 0) throw apiError('oauth.parameter-missing', { names: missing });
    return {
      element: element.key,
      oauthUrl: authorizeUrl(element, {
        apiKey: input.apiKey ?? '',
        callbackUrl: input.callbackUrl ?? '',
        state: input.state,
        scope: input.scope,
      }),
    };
  };
  const summary = "Build the provider's OAuth authorize URL";
  app.get(
    '/elements/:keyOrId/oauth/url',
    { schema: { tags: ['elements'], summary, params: keyOrId, querystring: oauthUrlInput } },
    async (request) => oauthUrl(request.params.keyOrId, request.query),
  );
  app.post(
    '/elements/:keyOrId/oauth/url',
    { schema: { tags: ['elements'], summary, params: keyOrId, body: oauthUrlInput.optional() }, config: { forms: true } },
    async (request) => oauthUrl(request.params.keyOrId, { ...request.query as object, ...(request.body ?? {}) }),
  );
}

/** `GET /elements/{id}/metadata` (spec §2.4): what the element can do, for provisioning code. */
export function elementMetadata(element: Element, expand: boolean) {
  const poller = element.configuration.find((c) => c.key === 'event.poller.configuration');
  const polling = poller?.defaultValue ? (JSON.parse(poller.defaultValue) as Record<string, unknown>) : {};
  const events = { ...element.events, ...(element.events.methods.includes('polling') ? { polling } : {}) };
  const base = { id: element.id, key: element.key, name: element.name, description: element.description, events };
  if (!expand) return base;
  return {
    ...base,
    image: `${BASE_PATH}/elements/${element.key}/image`,
    active: true,
    beta: false,
    cloneable: false,
    transformations: false,
    normalizedPaging: true,
    swaggerValidated: true,
    authenticationType: element.authentication.type,
    api: { type: 'REST', contentType: 'application/json' },
    bulk: { upload: false, download: false },
    discovery: { customFields: false, customObjects: false, endpointCustomFields: false, endpointCustomObjects: false },
    resources: element.resources.map((r) => ({
      canonicalName: r.name,
      operations: r.operations.map((o) => `${o.method} ${o.path}`),
      events: { supported: element.events.supported && Boolean(r.dates.updated ?? r.dates.created), methods: element.events.methods },
    })),
  };
}
