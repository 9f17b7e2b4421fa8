import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { encodeToken, hasNextPage, readPageRequest } from '../hub/paging.js';
import { principalOf, type Services } from '../platform/context.js';
import { scopedInstance } from '../platform/instance-scope.js';
import { listDeliveries, redeliver } from '../store/deliveries.js';
import { findEvent, listEvents } from '../store/events.js';
import { deliveryFilter } from './delivery-query.js';
import { deliveryView, eventView } from './views.js';
import { inboundRoutes } from './inbound.js';

const MAX_PAGE = 500;
const idParams = z.object({ id: z.coerce.number().int().positive() });
const eventParams = z.object({ eventId: z.string().min(1) });
const pageQuery = z
  .object({ page: z.string().optional(), pageSize: z.string().optional(), nextPage: z.string().optional() })
  .passthrough();
const deliveryQuery = z.object({ where: z.string().optional(), hydrate: z.string().optional() }).passthrough();

/**
 * Event records (spec §6.6), the deliveries API (§6.5) and the inbound API (§6.1).
 * TODO(#5): /instances/events/analytics and the per-notification delivery views — remove when
 * a client needs them.
 */
export function eventRoutes(app: App, services: Services): void {
  const tags = ['events'];
  for (const prefix of ['/instances/:id', '/instances']) {
    const idOf = (params: unknown) => (prefix.includes(':id') ? idParams.parse(params).id : undefined);
    app.get(`${prefix}/events`, { schema: { tags, summary: 'List received events', querystring: pageQuery } }, (request, reply) =>
      listHandler(services, request, reply, idOf(request.params)),
    );
    app.get(`${prefix}/events/:eventId`, { schema: { tags, summary: 'Retrieve one event' } }, async (request) => {
      const instanceIds = await scopeIds(services, request, idOf(request.params));
      const eventId = eventParams.parse(request.params).eventId;
      const row = await findEvent(services.db, instanceIds, eventId);
      if (!row) throw apiError('event.not-found', { id: eventId });
      return eventView(row);
    });
  }
  deliveryRoutes(app, services);
  inboundRoutes(app, services);
}

/**
 * `/instances/{id}/events` names the instance; `/instances/events` takes it from the Element
 * token, or, with none, covers every instance of the organization.
 */
async function scopeIds(services: Services, request: FastifyRequest, id: number | undefined): Promise<number[]> {
  if (id !== undefined || services.auth.credentials(request).element) {
    return [(await scopedInstance(services, request, id)).instance.id];
  }
  const principal = await principalOf(services, request);
  return (await services.instances.list(principal, {})).map((i) => i.id);
}

async function listHandler(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  id: number | undefined,
): Promise<unknown> {
  const instanceIds = await scopeIds(services, request, id);
  const page = readPageRequest(request.query as Record<string, string | undefined>, MAX_PAGE);
  const offset = (page.page - 1) * page.pageSize;
  const { rows, total } = await listEvents(services.db, instanceIds, offset, page.pageSize);
  reply.header('Elements-Returned-Count', String(rows.length));
  reply.header('Elements-Total-Count', String(total));
  if (hasNextPage(page, rows.length, total)) {
    reply.header('Elements-Next-Page-Token', encodeToken(page.page + 1, page.pageSize));
  }
  return rows.map(eventView);
}

function deliveryRoutes(app: App, services: Services): void {
  const tags = ['notifications'];
  const path = '/notifications/subscriptions/deliveries';
  app.get(path, { schema: { tags, summary: 'List event deliveries', querystring: deliveryQuery } }, async (request) => {
    const principal = await principalOf(services, request);
    const rows = await listDeliveries(services.db, principal.organization.id, deliveryFilter(request.query.where));
    return rows.map((r) => deliveryView(r.delivery, r.body, request.query.hydrate === 'true'));
  });
  app.put(path, { schema: { tags, summary: 'Redeliver event deliveries', querystring: deliveryQuery } }, async (request) => {
    const principal = await principalOf(services, request);
    const filter = deliveryFilter(request.query.where);
    const rows = await listDeliveries(services.db, principal.organization.id, filter);
    await redeliver(services.db, rows.map((r) => r.delivery.id), new Date(services.clock.now()));
    void services.events.nudge();
    const { status: _matched, ...sameDeliveries } = filter;
    const ids = new Set(rows.map((r) => r.delivery.id));
    const after = await listDeliveries(services.db, principal.organization.id, sameDeliveries);
    return after.filter((r) => ids.has(r.delivery.id)).map((r) => deliveryView(r.delivery, r.body, false));
  });
}
