import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import secureJson from 'secure-json-parse';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { corsHeaders } from './cors.js';
import { handleError } from './error-handler.js';
import { apiError } from './errors.js';
import { jsonErrorPosition } from './json-position.js';
import { redactUrl } from './redact.js';
import type { Metrics } from '../metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes `application/x-www-form-urlencoded` bodies as well as JSON. */
    forms?: boolean;
  }
}

export const BASE_PATH = '/elements/api-v2';

export { EXPOSED_HEADERS } from './cors.js';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  ZodTypeProvider
>;

/** A Fastify instance with Junction's conventions: ids, CORS, errors, validation, OpenAPI. */
export async function createServer(logger: Logger, metrics: Metrics): Promise<App> {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: requestId,
    // One line per request, written in onResponse with secrets taken out of the URL.
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    bodyLimit: 8 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request) => {
    throw apiError('route.not-found', { method: request.method, path: request.url.split('?')[0] ?? '' });
  });

  // JSON is the API's one body type (forms are registered below, for legacy logins and
  // inbound events); a text/plain body gets the 415 that says so, not a schema error.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  // Callback hooks rather than async ones: they run on every request, without a promise each.
  // One onRequest hook does the id and CORS; a preflight is answered here, before any auth.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('Elements-Request-Id', request.id);
    if (!corsHeaders(request, reply)) done();
  });
  // A form sent to a route that takes JSON (curl -d without -H) gets the 415 that says how to
  // send it, not a schema error about keys it never meant; routes that take forms say so.
  // Only routes with a body schema get the check, so hub calls run one hook fewer.
  app.addHook('onRoute', (route) => {
    if (!route.schema?.body || route.config?.forms) return;
    const own = route.preValidation ?? [];
    route.preValidation = [refuseForms, ...(Array.isArray(own) ? own : [own])];
  });
  app.addHook('onResponse', (request, reply, done) => {
    recordResponse(request, reply);
    done();
  });
  const recordResponse = (request: FastifyRequest, reply: FastifyReply): void => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.requests.observe(labels, reply.elapsedTime / 1000);
    // Answered requests are counted by the histogram above; a line each for them at info was
    // about 5% of a hub call's CPU, so they are logged at debug and refusals at info.
    const level = reply.statusCode < 400 ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const ms = Math.round(reply.elapsedTime);
    const line = { method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms };
    request.log[level](line, 'request');
  };

  // Preflights are answered in the onRequest hook; this route lets the router accept them.
  app.options('*', { schema: { hide: true } }, (_request, reply) => reply.callNotFound());
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Junction platform API', version: '1' },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: { elements: { type: 'apiKey', in: 'header', name: 'Authorization' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console'));
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    await metrics.refreshQueueGauges();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app as unknown as App;
}

/** Random bytes for request ids, drawn 4 KB at a time rather than a system call per request. */
let idBytes = Buffer.alloc(0);
let idOffset = 0;

/** A request id: 12 random bytes in hex, as unguessable as one drawn per request. */
function requestId(): string {
  if (idOffset + 12 > idBytes.length) {
    idBytes = randomBytes(4096);
    idOffset = 0;
  }
  idOffset += 12;
  return idBytes.toString('hex', idOffset - 12, idOffset);
}

/**
 * JSON bodies, with the parser's own message (which says where the JSON breaks) and the
 * prototype-pollution guard Fastify's parser has. An empty body means no body.
 */
function parseJsonBody(
  _request: unknown,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
): void {
  const text = body.toString();
  if (text.trim() === '') return done(null, undefined);
  try {
    done(null, secureJson.parse(text, { protoAction: 'remove', constructorAction: 'remove' }));
  } catch (err) {
    const position = jsonErrorPosition(text);
    const where = position >= 0 ? `at position ${position}: ` : '';
    done(apiError('request.json-invalid', { detail: where + (err as Error).message }));
  }
}

function refuseForms(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  const type = request.headers['content-type'];
  if (type?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    done(apiError('request.media-type', { type, looksLikeJson: isJsonSentAsForm(request.body) }));
    return;
  }
  done();
}

/**
 * `curl -d '{"a":1}'` sends JSON labelled as a form; parsed as one, it becomes a single key
 * `{"a":1}`. A form key that opens a JSON object or array is that mistake.
 */
function isJsonSentAsForm(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  return Object.keys(body).some((key) => /^\s*[[{]/.test(key));
}
