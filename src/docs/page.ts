import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../http/server.js';

export interface DocsPageOptions {
  /** Where the page is served, e.g. `/elements/api-v2/docs`. */
  prefix: `/${string}`;
  /** The OpenAPI document the page shows. */
  specUrl: string;
}

/**
 * The API reference page (Scalar), loaded on its first request: its bundle is a 4 MB module
 * that added about 200 ms and 35 MB to every start for a page few processes ever serve. The
 * plugin runs in a Fastify instance of its own, which the page's two routes forward to.
 */
export function docsPage(app: App, options: DocsPageOptions): void {
  let page: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const inner = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await inner.register(scalar, {
      routePrefix: options.prefix,
      // No external fonts: the docs page must work offline.
      configuration: {
        url: options.specUrl,
        title: 'Junction API',
        pageTitle: 'Junction API',
        withDefaultFonts: false,
        hideClientButton: true,
      },
    });
    await inner.ready();
    return inner;
  };

  for (const url of [options.prefix, `${options.prefix}/js/scalar.js`]) {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      page ??= load().catch((err: unknown) => {
        page = undefined; // a failed load is tried again on the next request
        throw err;
      });
      const answer = await (await page).inject({ method: 'GET', url: request.url });
      for (const name of ['content-type', 'location']) {
        const value = answer.headers[name];
        if (typeof value === 'string') void reply.header(name, value);
      }
      return reply.code(answer.statusCode).send(answer.rawPayload);
    });
  }
}
