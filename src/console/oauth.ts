import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, apiError } from '../http/errors.js';
import { MASK } from '../instances/configuration.js';
import { callApi } from './api-client.js';
import { CALLBACK_PATH, type ConsoleContext } from './context.js';
import { readSessionCookie } from './cookie.js';
import { checkOrigin, ownOrigin } from './guard.js';
import { signInFailedPage } from './pages.js';
import type { PendingSignIn, Session } from './sessions.js';

/** Configuration the console lets a user set when authenticating; other keys are refused. */
const settable = [
  'event.notification.enabled',
  'event.notification.callback.url',
  'event.notification.signature.key',
  'event.poller.refresh_interval',
  'filter.response.nulls',
] as const;

const startBody = z.object({
  element: z.string().min(1),
  name: z.string().trim().optional(),
  tags: z.array(z.string()).optional(),
  clientId: z.string().trim().optional(),
  clientSecret: z.string().trim().optional(),
  instanceId: z.number().int().positive().optional(),
  configuration: z.partialRecord(z.enum(settable), z.string()).optional(),
});
type StartBody = z.infer<typeof startBody>;

const callbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
});

const tags = ['console'];

/**
 * Authenticating an instance from the console: `POST /console/oauth/start` keeps what the user
 * entered in the session under a random `state` and answers the provider's authorize URL; the
 * provider sends the browser back to `CALLBACK_PATH`, which takes that state once and provisions
 * the instance through `POST /instances` (or re-authenticates one with `PATCH /instances/{id}`).
 */
export function oauthRoutes(context: ConsoleContext): void {
  const { app } = context;

  app.post(
    '/console/oauth/start',
    { schema: { tags, summary: 'Start a provider sign-in', body: startBody }, config: { forms: true } },
    async (request) => {
      checkOrigin(request, context.publicUrl);
      const session = context.sessions.require(readSessionCookie(request));
      return start(context, request, session, request.body);
    },
  );

  app.get(
    CALLBACK_PATH,
    { schema: { tags, summary: 'Provider sign-in callback', querystring: callbackQuery } },
    async (request, reply) => {
      try {
        const session = context.sessions.require(readSessionCookie(request));
        const pending = context.sessions.finishSignIn(session, request.query.state);
        if (request.query.error)
          throw apiError('console.provider-denied', { error: request.query.error });
        if (!request.query.code) throw apiError('console.callback-invalid');
        const id = await provision(context, session, pending, request.query.code);
        return reply
          .header('cache-control', 'no-store')
          .redirect(`/console/instances/${id}?authenticated=1`, 302);
      } catch (err) {
        return failed(request, reply, err);
      }
    },
  );
}

async function start(
  context: ConsoleContext,
  request: FastifyRequest,
  session: Session,
  body: StartBody,
) {
  const element = context.services.catalog.find(body.element);
  if (!element)
    throw apiError('element.not-found', {
      key: body.element,
      suggestion: context.services.catalog.suggest(body.element),
    });
  if (body.instanceId === undefined && !body.name) {
    throw apiError('request.invalid', { detail: 'name is missing; give the new instance a name' });
  }
  const configured = context.providerApps[element.provider.name];
  const envPrefix = `JUNCTION_${element.provider.name.toUpperCase()}`;
  const clientId = body.clientId || configured?.clientId;
  if (!clientId) {
    throw apiError('request.invalid', {
      detail: `clientId is missing; enter the app's client id or set ${envPrefix}_CLIENT_ID`,
    });
  }
  // Re-authenticating without a new secret keeps the stored one: the API reads the mask so.
  const clientSecret =
    body.clientSecret || configured?.clientSecret || (body.instanceId ? MASK : undefined);
  if (!clientSecret) {
    throw apiError('request.invalid', {
      detail: `clientSecret is missing; enter the app's client secret or set ${envPrefix}_CLIENT_SECRET`,
    });
  }

  const callbackUrl = ownOrigin(request, context.publicUrl) + CALLBACK_PATH;
  const state = context.sessions.startSignIn(session, {
    elementKey: element.key,
    instanceId: body.instanceId,
    name: body.name ?? '',
    tags: body.tags ?? [],
    configuration: {
      ...body.configuration,
      'oauth.api.key': clientId,
      'oauth.api.secret': clientSecret,
      'oauth.callback.url': callbackUrl,
    },
  });
  const query = new URLSearchParams({ apiKey: clientId, callbackUrl, state });
  const response = await callApi(context.app, session.secrets, {
    method: 'GET',
    path: `/elements/${encodeURIComponent(element.key)}/oauth/url?${query}`,
  });
  if (response.status !== 200) throw fromResponse(response.status, response.json());
  return { authorizeUrl: response.json<{ oauthUrl: string }>().oauthUrl };
}

/** Creates (or re-authenticates) the instance through the public API; answers its id. */
async function provision(
  context: ConsoleContext,
  session: Session,
  pending: PendingSignIn,
  code: string,
) {
  const body = pending.instanceId
    ? { providerData: { code }, configuration: pending.configuration }
    : {
        element: { key: pending.elementKey },
        name: pending.name,
        ...(pending.tags.length > 0 ? { tags: pending.tags } : {}),
        providerData: { code },
        configuration: pending.configuration,
      };
  const response = await callApi(context.app, session.secrets, {
    method: pending.instanceId ? 'PATCH' : 'POST',
    path: pending.instanceId ? `/instances/${pending.instanceId}` : '/instances',
    body: JSON.stringify(body),
    contentType: 'application/json',
  });
  if (response.status !== 200) throw fromResponse(response.status, response.json());
  return response.json<{ id: number }>().id;
}

/** An API error body, as an error the failure page can show. */
function fromResponse(status: number, body: unknown): ApiError {
  const { code, message } = body as { code?: string; message?: string };
  return new ApiError(
    (code ?? 'internal') as ApiError['code'],
    status,
    message ?? `status ${status}`,
  );
}

function failed(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const known = err instanceof ApiError ? err : apiError('internal');
  if (!(err instanceof ApiError)) request.log.error({ err }, 'console sign-in failed');
  else request.log.info({ code: known.code }, 'console sign-in refused');
  return reply
    .code(known.status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(signInFailedPage(known, String(request.id)));
}
