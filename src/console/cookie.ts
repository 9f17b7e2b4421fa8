import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_MS } from './sessions.js';

export const COOKIE_NAME = 'junction_session';

/** The session cookie's value, if the request carries one. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === COOKIE_NAME) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly keeps the cookie from page scripts. SameSite=Lax rather than Strict: the provider's
 * redirect back to the OAuth callback is a cross-site navigation, and Strict would drop the
 * cookie there, so the callback could not tie its `state` to the session. Requests that change
 * anything are guarded by the `Origin` check as well (see `guard.ts`).
 */
export function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${SESSION_MS / 1000}`];
  if (secure) attributes.push('Secure');
  void reply.header('set-cookie', `${COOKIE_NAME}=${value}; ${attributes.join('; ')}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.header('set-cookie', `${COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}
