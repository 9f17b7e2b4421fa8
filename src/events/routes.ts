import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { positiveIdParam } from '../http/validation-message.js';
import type { App } from '../http/server.js';
import { encodeToken, hasNextPage, readPageRequest } from '../hub/paging.js';
import type { Services } from '../platform/context.js';
import { findEvent, listEvents } from '../store/events.js';
import { analyticsRoutes } from './analytics.js';
import { deliveryRoutes } from './delivery-routes.js';
import { scopeIds } from './scope.js';
import { eventView } from './views.js';
import { inboundRoutes } from './inbound.js';

const MAX_PAGE = 500;
const eventParams = z.object({ eventId: z.string().min(1) });
const pageQuery = z
  .object({ page: z.string().optional(), pageSize: z.string().optional(), nextPage: z.string().optional() })
  .passthrough();

/** Event records and their analytics (spec §6.6), the deliveries API (§6.5) and the inbound API (§6.1). */
export function eventRoutes(app: App, services: Services): void {
  const tags = ['events'];
  analyticsRoutes(app, services);
  for (const prefix of ['/instances/:id', '/instances']) {
    const idOf = (params: unknown) => (prefix.includes(':id') ? positiveIdParam(params, 'id') : undefined);
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
