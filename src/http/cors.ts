import type { FastifyReply, FastifyRequest } from 'fastify';

/** The headers browsers may read, compared verbatim by existing clients (spec §5.2). */
export const EXPOSED_HEADERS =
  'Elements-Returned-Count, Elements-Total-Count, Elements-Request-Id, Elements-Next-Page-Token, Elements-Trace-Id, Elements-Error, Content-Disposition';

/** Every method the API takes: a browser app may update and delete instances, not only read them. */
const ALLOWED_METHODS = 'GET,HEAD,POST,PUT,PATCH,DELETE';

/**
 * CORS for browser clients: any origin is reflected, with credentials, and the Elements
 * headers are readable. It answers as `@fastify/cors` did with `origin: true` (strict
 * preflights, the asked headers reflected), but allows every method the API has. It is written
 * out because the plugin's general option handling was about 2% of a hub call's CPU.
 *
 * Returns true when it answered the request itself (a preflight, or an OPTIONS that is not one).
 */
export function corsHeaders(request: FastifyRequest, reply: FastifyReply): boolean {
  const origin = request.headers.origin;
  addVary(reply, 'Origin');
  if (origin) void reply.header('Access-Control-Allow-Origin', origin);
  void reply.header('Access-Control-Allow-Credentials', 'true');
  void reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (request.raw.method !== 'OPTIONS') return false;

  if (!origin || !request.headers['access-control-request-method']) {
    void reply.status(400).type('text/plain').send('Invalid Preflight Request');
    return true;
  }
  void reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
  addVary(reply, 'Access-Control-Request-Headers');
  const asked = request.headers['access-control-request-headers'];
  if (asked !== undefined) void reply.header('Access-Control-Allow-Headers', asked);
  // Safari waits for a body on a 204 without a Content-Length.
  void reply.code(204).header('Content-Length', '0').send();
  return true;
}

function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  if (current === undefined) {
    void reply.header('Vary', field);
    return;
  }
  const fields = String(current).split(',').map((f) => f.trim().toLowerCase());
  if (!fields.includes('*') && !fields.includes(field.toLowerCase())) {
    void reply.header('Vary', `${String(current)}, ${field}`);
  }
}
