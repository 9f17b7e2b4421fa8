import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import { listDeliveries, redeliver, type DeliveryFilter } from '../store/deliveries.js';
import { deliveryFilter } from './delivery-query.js';
import { deliveryView } from './views.js';

const deliveryQuery = z.object({ where: z.string().optional(), hydrate: z.string().optional() }).passthrough();
const notificationParams = z.object({ notificationId: z.string().min(1) });
/** Instance ids are PostgreSQL integers: a longer number names no instance and must not reach SQL. */
const MAX_ID = 2_147_483_647;
const subscriptionParams = notificationParams.extend({
  subscriptionId: z
    .string()
    .regex(/^\d+$/, 'a subscription id is the id of an instance (digits)')
    .refine((id) => Number(id) <= MAX_ID, `a subscription id is the id of an instance (at most ${MAX_ID})`),
});

/**
 * The deliveries API (spec §6.5). A notification is an event and a subscription is its
 * instance's callback (see `deliveryView`), so the per-notification views list the one delivery
 * of an event, optionally checked against the instance.
 */
export function deliveryRoutes(app: App, services: Services): void {
  const tags = ['notifications'];
  const path = '/notifications/subscriptions/deliveries';
  const list = async (organizationId: number, filter: DeliveryFilter, hydrate: string | undefined) =>
    (await listDeliveries(services.db, organizationId, filter)).map((r) => deliveryView(r, hydrate === 'true'));

  app.get(path, { schema: { tags, summary: 'List event deliveries', querystring: deliveryQuery } }, async (request) => {
    const principal = await principalOf(services, request);
    return list(principal.organization.id, deliveryFilter(request.query.where), request.query.hydrate);
  });

  app.put(
    path,
    {
      schema: {
        tags,
        summary: 'Redeliver event deliveries and reactivate their subscriptions',
        querystring: deliveryQuery,
      },
    },
    async (request) => {
      const principal = await principalOf(services, request);
      const filter = deliveryFilter(request.query.where);
      const rows = await listDeliveries(services.db, principal.organization.id, filter);
      await redeliver(services.db, rows.map((r) => r.delivery), new Date(services.clock.now()));
      void services.events.nudge();
      const { status: _matched, ...sameDeliveries } = filter;
      const ids = new Set(rows.map((r) => r.delivery.id));
      const after = await listDeliveries(services.db, principal.organization.id, sameDeliveries);
      return after.filter((r) => ids.has(r.delivery.id)).map((r) => deliveryView(r, false));
    },
  );

  app.get(
    '/notifications/:notificationId/subscriptions/deliveries',
    {
      schema: {
        tags,
        summary: "List a notification's deliveries",
        params: notificationParams,
        querystring: deliveryQuery,
      },
    },
    async (request) => {
      const principal = await principalOf(services, request);
      const { notificationId } = request.params;
      const found = await list(principal.organization.id, { eventId: notificationId }, request.query.hydrate);
      if (found.length === 0) throw apiError('notification.not-found', { id: notificationId });
      return found;
    },
  );

  app.get(
    '/notifications/:notificationId/subscriptions/:subscriptionId/deliveries',
    {
      schema: {
        tags,
        summary: "List a notification's deliveries to one subscription",
        params: subscriptionParams,
        querystring: deliveryQuery,
      },
    },
    async (request) => {
      const principal = await principalOf(services, request);
      const { notificationId, subscriptionId } = request.params;
      const filter = { eventId: notificationId, instanceId: Number(subscriptionId) };
      const found = await list(principal.organization.id, filter, request.query.hydrate);
      if (found.length === 0) {
        throw apiError('notification.not-found', { id: notificationId, subscriptionId: Number(subscriptionId) });
      }
      return found;
    },
  );
}
