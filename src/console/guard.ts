import type { FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';

/** The origin the browser used to reach the hub: the configured public URL, else the Host. */
export function ownOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * Refuses a cookie-authenticated request sent by a page of another origin. The cookie is
 * SameSite=Lax, which stops other sites but not other ports of the same host (one "site"), and
 * the hub's CORS policy reflects any origin for API clients; browsers always send `Origin` on
 * cross-origin fetches and on every POST, PUT, PATCH and DELETE, so comparing it is enough.
 */
export function checkOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = new Set([ownOrigin(request, publicUrl), `${request.protocol}://${request.host}`]);
  if (!allowed.has(origin)) throw apiError('console.origin-refused', { origin });
}
