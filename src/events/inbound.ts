import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import type { Instance } from '../instances/model.js';
import type { Services } from '../platform/context.js';
import { addToInbox, findHook, recordHandshakeSecret } from '../store/inbox.js';
import { handshakeOpen, tokenMatches } from './hooks.js';
import { decodeInstanceId } from './views.js';

interface InboundParams {
  elementKey: string;
  encodedId?: string;
  token?: string;
}

/**
 * The inbound API (spec §6.1): providers post changes to `/events/{elementKey}`, optionally
 * with the base64 instance id, and Keap's hooks to the secret per-instance URL
 * `/events/{elementKey}/{encodedId}/{token}`. The payload is stored and answered at once; the
 * event worker confirms it with the provider and turns it into events.
 */
export function inboundRoutes(app: App, services: Services): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => receive(services, request, reply);
  for (const path of ['/events/:elementKey', '/events/:elementKey/:encodedId', '/events/:elementKey/:encodedId/:token']) {
    app.route({ method: ['POST', 'GET'], url: path, schema: { tags: ['events'], summary: 'Receive provider events' }, handler });
  }
}

async function receive(services: Services, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const params = request.params as InboundParams;
  const secret = request.headers['x-hook-secret'];
  if (params.token !== undefined) return hookUrl(services, request, reply, params, secret);
  if (secret !== undefined) throw apiError('event.handshake-refused');
  const instances = await resolve(services, request, params);
  const body = request.method === 'GET' ? request.query : request.body;
  await addToInbox(services.db, instances.map((i) => i.id), body ?? {}, new Date(services.clock.now()));
  void services.events.nudge();
  return reply.code(200).send({ received: instances.length });
}

/** The per-instance hook URL: the handshake while a registration is pending, else a batch. */
async function hookUrl(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  params: InboundParams,
  secret: string | string[] | undefined,
): Promise<unknown> {
  const id = decodeInstanceId(params.encodedId ?? '');
  const row = id === undefined ? undefined : await findHook(services.db, id);
  if (!row || id === undefined || !tokenMatches(row, params.token ?? '')) {
    throw apiError('event.instance-unresolved', { elementKey: params.elementKey });
  }
  if (secret !== undefined) {
    if (!handshakeOpen(row, services.clock.now())) throw apiError('event.handshake-refused');
    // Kept for the registration, which confirms the hook with it if the provider loses this answer.
    await recordHandshakeSecret(services.db, id, String(secret));
    return reply.code(200).header('X-Hook-Secret', String(secret)).send();
  }
  await addToInbox(services.db, [id], request.body ?? {}, new Date(services.clock.now()));
  void services.events.nudge();
  return reply.code(200).send();
}

/**
 * `Element-Instances` (a comma list fans out), else the encoded id in the path.
 * TODO(#5): element-specific lookup through event.notification.instance.finder — remove when an
 * element needs it.
 */
async function resolve(services: Services, request: FastifyRequest, params: InboundParams): Promise<Instance[]> {
  const header = request.headers['element-instances'];
  const ids = typeof header === 'string'
    ? header.split(',').map((v) => Number(v.trim()))
    : [params.encodedId ? decodeInstanceId(params.encodedId) : undefined];
  const found: Instance[] = [];
  for (const id of ids) {
    const instance = id && Number.isSafeInteger(id) ? await services.instances.open(id) : undefined;
    if (instance && instance.element.key === params.elementKey) found.push(instance);
  }
  if (found.length === 0) throw apiError('event.instance-unresolved', { elementKey: params.elementKey });
  return found;
}
