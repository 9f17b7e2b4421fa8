/**
 * The browser half of the authorization code flow (keap.md §2.2): `GET /app/oauth/authorize`
 * validates the request and shows the sign-in page, `POST /app/oauth/login` shows the consent
 * page, `POST /app/oauth/consent` redirects back with a code or `error=access_denied`.
 *
 * Every step re-validates the request from its hidden fields: a browser can tamper with them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.js';
import { PageError } from '../errors.js';
import { isRegisteredRedirect } from './client.js';
import { consentPage, loginPage } from './pages.js';

type Params = Readonly<Record<string, unknown>>;

interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | undefined;
}

/** How long the consent form stays valid after a successful sign-in. */
const LOGIN_TICKET_MS = 10 * 60_000;

export function registerAuthorize(app: FastifyInstance, context: SandboxContext): void {
  app.get('/app/oauth/authorize', async (request, reply) => {
    const params = request.query as Params;
    const authorization = validate(context, params, reply);
    if (!authorization) return reply;

    if (context.autoConsent) return approve(context, authorization, reply);
    return sendPage(reply, 200, loginPage(carried(authorization)));
  });

  app.post('/app/oauth/login', async (request, reply) => {
    const body = formBody(request.body);
    const authorization = validate(context, body, reply);
    if (!authorization) return reply;

    if (!text(body, 'username') || !text(body, 'password')) {
      const page = loginPage(carried(authorization), 'Enter your email and password.');
      return sendPage(reply, 400, page);
    }
    const ticket = randomBytes(18).toString('base64url');
    context.logins.set(ticket, context.clock.now() + LOGIN_TICKET_MS);
    const fields = { ...carried(authorization), login_ticket: ticket };
    return sendPage(reply, 200, consentPage(fields, context.app.name, context.tenant));
  });

  app.post('/app/oauth/consent', async (request, reply) => {
    const body = formBody(request.body);
    const authorization = validate(context, body, reply);
    if (!authorization) return reply;

    if (!redeemTicket(context, text(body, 'login_ticket'))) {
      throw new PageError(400, 'Session expired', 'Your sign-in has expired. Please start again.');
    }
    if (text(body, 'deny') !== undefined) {
      return redirect(reply, authorization.redirectUri, {
        error: 'access_denied',
        state: authorization.state,
      });
    }
    if (text(body, 'allow') === undefined) {
      throw new PageError(400, 'No decision', 'Choose Allow or Deny.');
    }
    return approve(context, authorization, reply);
  });
}

/**
 * Client and callback problems get an error page: redirecting to an unverified URI would make
 * the sandbox an open redirector. Once the callback is trusted, the remaining problems travel
 * back to it as RFC 6749 §4.1.2.1 error parameters.
 */
function validate(
  context: SandboxContext,
  params: Params,
  reply: FastifyReply,
): AuthorizationRequest | undefined {
  const clientId = text(params, 'client_id');
  const redirectUri = text(params, 'redirect_uri');
  if (clientId !== context.app.clientId) {
    throw new PageError(400, 'Invalid client', `Unknown client_id '${clientId ?? ''}'.`);
  }
  if (!isRegisteredRedirect(context.app, redirectUri) || redirectUri === undefined) {
    throw new PageError(
      400,
      'Invalid redirect_uri',
      `The redirect_uri '${redirectUri ?? ''}' does not exactly match a registered callback.`,
    );
  }

  const state = text(params, 'state');
  const responseType = text(params, 'response_type') ?? 'code';
  const scope = text(params, 'scope') ?? 'full';
  const refuse = (error: string, description: string) => {
    redirect(reply, redirectUri, { error, error_description: description, state });
    return undefined;
  };
  if (responseType !== 'code') {
    const description = `response_type must be 'code', not '${responseType}'`;
    return refuse('unsupported_response_type', description);
  }
  if (scope !== 'full') return refuse('invalid_scope', `scope must be 'full', not '${scope}'`);

  return { clientId, redirectUri, scope, state };
}

function approve(
  context: SandboxContext,
  authorization: AuthorizationRequest,
  reply: FastifyReply,
) {
  const code = context.grants.issueCode(
    authorization.clientId,
    authorization.redirectUri,
    authorization.scope,
  );
  return redirect(reply, authorization.redirectUri, { code, state: authorization.state });
}

function redeemTicket(context: SandboxContext, ticket: string | undefined): boolean {
  if (ticket === undefined) return false;
  const expiresAt = context.logins.get(ticket);
  context.logins.delete(ticket);
  return expiresAt !== undefined && expiresAt > context.clock.now();
}

/** The request parameters the next page must carry. */
function carried(authorization: AuthorizationRequest) {
  return {
    client_id: authorization.clientId,
    redirect_uri: authorization.redirectUri,
    response_type: 'code',
    scope: authorization.scope,
    state: authorization.state,
  };
}

function redirect(reply: FastifyReply, uri: string, params: Record<string, string | undefined>) {
  const target = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return reply.header('cache-control', 'no-store').redirect(target.toString(), 302);
}

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

/** A single-valued, non-empty parameter; repeated or blank ones count as absent. */
function text(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function formBody(body: unknown): Params {
  return typeof body === 'object' && body !== null ? (body as Params) : {};
}
