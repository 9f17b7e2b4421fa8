import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../auth/header.js';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { callApi, type ApiRequest } from './api-client.js';
import type { ConsoleContext } from './context.js';
import { readSessionCookie } from './cookie.js';
import { checkOrigin } from './guard.js';

/** Response headers worth passing to the browser; the rest belong to the hop. */
const passed = /^(content-type|content-disposition|retry-after|elements-.*)$/i;

/**
 * `/console/api/*`: the console's only way into the hub. `/console/api/instances` becomes
 * `GET /elements/api-v2/instances` with the session's `User` and `Organization` secrets added,
 * so they never reach the browser. A browser `Authorization: Element <token>` (a hub call it
 * tries on an instance it was shown) is kept; anything else the browser sends there is dropped.
 */
export async function proxyRoutes(context: ConsoleContext): Promise<void> {
  await context.app.register(async (scope) => {
    // Bodies go through untouched; the API behind parses and validates them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    (scope as unknown as App).route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/console/api/*',
      schema: { hide: true },
      handler: (request, reply) => forward(context, request, reply),
    });
  });
}

async function forward(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  checkOrigin(request, context.publicUrl);
  const session = context.sessions.require(readSessionCookie(request));
  const rest = (request.params as { '*': string })['*'];
  if (rest.startsWith('console/') || rest === 'console') {
    throw apiError('route.not-found', {
      method: request.method,
      path: request.url.split('?')[0] ?? '',
    });
  }
  const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const body = request.body instanceof Buffer && request.body.length > 0 ? request.body : undefined;
  const response = await callApi(context.app, session.secrets, {
    method: request.method as ApiRequest['method'],
    path: `/${rest}${search}`,
    body,
    contentType: request.headers['content-type'],
    elementToken: parseAuthorization(request.headers.authorization).element,
  });
  for (const [name, value] of Object.entries(response.headers)) {
    if (passed.test(name) && value !== undefined) void reply.header(name, value);
  }
  return reply.code(response.status).send(response.body);
}
