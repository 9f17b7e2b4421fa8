/**
 * The sandbox's error catalogue. Handlers throw these; `sendError` (registered once in server.ts)
 * turns them into the body Keap would send for that layer:
 *
 * - REST v1 application errors: `{"message": "..."}` (keap.md §6).
 * - Token endpoint errors: `{"error", "error_description"}` (keap.md §2.6).
 * - Browser-facing OAuth pages: a small HTML page.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage } from './html.js';

/** A REST v1 error answered as `{"message": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A token endpoint error answered as `{"error", "error_description"}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}

/** An error shown to a person in the browser (authorize, login and consent pages). */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'PageError';
  }
}

/** Keap names the record type in its 404 message: "Unable to find this Order". */
export function notFound(noun: string): ApiError {
  return new ApiError(404, `Unable to find this ${noun}`);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}

/** The token endpoint's observed error bodies (keap.md §2.6), one factory per situation. */
export const oauthErrors = {
  invalidRefreshToken: () => new OAuthError(400, 'invalid_grant', 'Invalid refresh token'),
  invalidCode: () => new OAuthError(400, 'invalid_grant', 'Invalid authorization code'),
  invalidRedirectUri: () => new OAuthError(400, 'invalid_request', 'Invalid redirect_uri'),
  badClient: () =>
    new OAuthError(401, 'invalid_grant', 'Unable to authenticate username and password'),
  unsupportedGrant: (grantType: string | undefined) =>
    new OAuthError(
      400,
      'unsupported_grant_type',
      `Unsupported grant_type '${grantType ?? ''}': expected authorization_code or ` +
        'refresh_token in the form-encoded body',
    ),
} as const;

/** Fastify error handler: the one place that writes error replies. */
export function sendError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof ApiError) return reply.code(error.status).send({ message: error.message });

  if (error instanceof OAuthError) {
    return reply
      .code(error.status)
      .header('cache-control', 'no-store')
      .send({ error: error.error, error_description: error.description });
  }

  if (error instanceof PageError) {
    return reply
      .code(error.status)
      .type('text/html; charset=utf-8')
      .send(errorPage(error.title, error.message));
  }

  // Fastify's own client errors (malformed JSON, unsupported media type, body too large) keep
  // their status and surface in Keap's REST error shape.
  const status = 'statusCode' in error ? error.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(status).send({ message: error.message });
  }

  request.log.error({ err: error }, 'unexpected sandbox error');
  return reply.code(500).send({ message: 'Internal Server Error' });
}
