/**
 * `POST /token` (keap.md §2.3–2.6): the authorization_code and refresh_token grants.
 *
 * Parameters count only in the form-encoded body; Keap ignores query-string parameters and so
 * does the sandbox (§9.4). Client credentials may come as HTTP Basic or in the body, on both
 * grants. Every refresh rotates the refresh token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.js';
import { oauthErrors } from '../errors.js';
import { authenticateClient, readClientCredentials } from './client.js';
import type { TokenSet } from './grants.js';

type Form = Record<string, string | undefined>;

export function registerToken(app: FastifyInstance, context: SandboxContext): void {
  app.post('/token', async (request, reply) => {
    const form = readForm(request);
    const grantType = form.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw oauthErrors.unsupportedGrant(grantType);
    }
    context.stats.tokenRequests[grantType] += 1;

    const credentials = readClientCredentials(request.headers.authorization, form);
    if (!credentials || !authenticateClient(context.app, credentials)) {
      throw oauthErrors.badClient();
    }

    const tokens =
      grantType === 'authorization_code'
        ? exchangeCode(context, form, credentials.clientId)
        : refresh(context, form, credentials.clientId);
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return tokenBody(tokens);
  });
}

function exchangeCode(context: SandboxContext, form: Form, clientId: string): TokenSet {
  const outcome = context.grants.redeemCode(form.code, clientId, form.redirect_uri);
  if (outcome.ok) return outcome.tokens;
  throw outcome.reason === 'redirect_mismatch'
    ? oauthErrors.invalidRedirectUri()
    : oauthErrors.invalidCode();
}

function refresh(context: SandboxContext, form: Form, clientId: string): TokenSet {
  const outcome = context.grants.refresh(form.refresh_token, clientId);
  if (outcome.ok) return outcome.tokens;
  if (outcome.reason === 'reused') context.stats.refreshTokenReuse += 1;
  throw oauthErrors.invalidRefreshToken();
}

/** The field set and order Keap answers with; `token_type` is lower case. */
function tokenBody(tokens: TokenSet) {
  return {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    scope: tokens.scope,
  };
}

/** Single-valued string fields of a form-encoded body; anything else reads as empty. */
function readForm(request: FastifyRequest): Form {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return {};
  if (typeof request.body !== 'object' || request.body === null) return {};

  const form: Form = {};
  for (const [name, value] of Object.entries(request.body)) {
    if (typeof value === 'string') form[name] = value;
  }
  return form;
}
