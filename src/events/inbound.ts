import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import type { Instance } from '../instances/model.js';
import type { Services } from '../platform/context.js';
import { addToInbox, findHook, recordHandshakeSecret } from '../store/inbox.js';
import { findInstanceIdsByConfiguration } from '../store/instances.js';
import { handshakeOpen, tokenMatches } from './hooks.js';
import { valueAt } from './poller-config.js';
import { decodeInstanceId } from './views.js';

interface InboundParams {
  elementKey: string;
  encodedId?: string;
  token?: string;
}

/** `/events/{elementKey}Polling/…` carries poller-shaped records (spec §6.1). */
const POLLING_SUFFIX = 'Polling';

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
  const polling = params.elementKey.endsWith(POLLING_SUFFIX) && params.elementKey !== POLLING_SUFFIX;
  const elementKey = polling ? params.elementKey.slice(0, -POLLING_SUFFIX.length) : params.elementKey;
  const body = (request.method === 'GET' ? request.query : request.body) ?? {};
  const instances = await resolve(services, request, elementKey, params.encodedId, body);
  const now = new Date(services.clock.now());
  await addToInbox(services.db, instances.map((i) => i.id), body, now, polling ? 'polling' : 'hook');
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
 * The instances a payload is for, by the first of (spec §6.1): the `Element-Instances` header
 * (a comma list fans out), the `Id` header, the encoded id in the path, and the element's
 * instance finder matched against the payload. Only instances of the element count.
 */
async function resolve(
  services: Services,
  request: FastifyRequest,
  elementKey: string,
  encodedId: string | undefined,
  payload: unknown,
): Promise<Instance[]> {
  const ids = named(request, encodedId) ?? (await found(services, elementKey, payload));
  const instances: Instance[] = [];
  for (const id of ids) {
    const usable = id !== undefined && Number.isSafeInteger(id) && id > 0;
    const instance = usable ? await services.instances.open(id) : undefined;
    if (instance && instance.element.key === elementKey) instances.push(instance);
  }
  if (instances.length === 0) throw apiError('event.instance-unresolved', { elementKey });
  return instances;
}

/** Ids the request names itself, or undefined when it names none. */
function named(request: FastifyRequest, encodedId: string | undefined): (number | undefined)[] | undefined {
  const fanOut = request.headers['element-instances'];
  if (typeof fanOut === 'string') return fanOut.split(',').map((v) => Number(v.trim()));
  const id = request.headers['id'];
  if (typeof id === 'string') return [Number(id.trim())];
  if (encodedId !== undefined) return [decodeInstanceId(encodedId)];
  return undefined;
}

/** The element's instances whose finder value (`event.notification.instance.finder`) the payload holds. */
async function found(services: Services, elementKey: string, payload: unknown): Promise<number[]> {
  const finder = services.catalog.find(elementKey)?.events.instanceFinder;
  const value = finder ? valueAt(payload, finder.path) : undefined;
  if (!finder || (typeof value !== 'string' && typeof value !== 'number') || value === '') return [];
  return findInstanceIdsByConfiguration(services.db, elementKey, finder.configKey, String(value));
}
