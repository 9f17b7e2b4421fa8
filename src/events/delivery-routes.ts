import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import { notificationDeliveryView } from '../notifications/views.js';
import { listDeliveries, redeliver, type DeliveryFilter } from '../store/deliveries.js';
import {
  findNotification,
  listOrganizationNotificationDeliveries,
  redeliverNotifications,
  type NotificationDeliveryFilter,
} from '../store/notifications.js';
import { deliveryFilter } from './delivery-query.js';
import { deliveryView } from './views.js';

const deliveryQuery = z.object({ where: z.string().optional(), hydrate: z.string().optional() }).passthrough();
const notificationParams = z.object({ notificationId: z.string().min(1) });
/** Instance ids are PostgreSQL integers: a longer number names no instance and must not reach SQL. */
const MAX_ID = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBSCRIPTION_ID =
  'a subscription id is the id of an instance (digits) or of a notification subscription (a UUID)';
const subscriptionParams = notificationParams.extend({
  subscriptionId: z
    .string()
    .regex(/^\d+$|^[0-9a-f-]{36}$/i, SUBSCRIPTION_ID)
    .refine(
      (id) => UUID.test(id) || Number(id) <= MAX_ID,
      `${SUBSCRIPTION_ID}; an instance id is at most ${MAX_ID}`,
    ),
});

/**
 * The deliveries API (spec §6.5), over both outboxes. An event's notification is the event and
 * its subscription the instance's callback (see `deliveryView`): one delivery per event. A
 * generic notification (`POST /notifications`) has one delivery per webhook subscription to its
 * topic (see `notificationDeliveryView`). Their ids cannot meet: event ids are UUIDs and
 * instance ids integers; generic notification ids are integers and subscription ids UUIDs.
 */
export function deliveryRoutes(app: App, services: Services): void {
  const tags = ['notifications'];
  const path = '/notifications/subscriptions/deliveries';
  const list = async (organizationId: number, filter: DeliveryFilter, hydrate: string | undefined) => {
    const events = await listDeliveries(services.db, organizationId, filter);
    const generic = await listGeneric(organizationId, filter);
    return [
      ...events.map((r) => deliveryView(r, hydrate === 'true')),
      ...generic.map((r) => notificationDeliveryView(r, hydrate === 'true')),
    ];
  };
  const listGeneric = async (organizationId: number, filter: DeliveryFilter) => {
    const generic = genericFilter(filter);
    return generic ? listOrganizationNotificationDeliveries(services.db, organizationId, generic) : [];
  };

  app.get(path, { schema: { tags, summary: 'List event and notification deliveries', querystring: deliveryQuery } }, async (request) => {
    const principal = await principalOf(services, request);
    return list(principal.organization.id, deliveryFilter(request.query.where), request.query.hydrate);
  });

  app.put(
    path,
    {
      schema: {
        tags,
        summary: 'Redeliver deliveries and reactivate their subscriptions',
        querystring: deliveryQuery,
      },
    },
    async (request) => {
      const principal = await principalOf(services, request);
      const organizationId = principal.organization.id;
      const filter = deliveryFilter(request.query.where);
      const now = new Date(services.clock.now());
      const rows = await listDeliveries(services.db, organizationId, filter);
      const generic = await listGeneric(organizationId, filter);
      await redeliver(services.db, rows.map((r) => r.delivery), now);
      await redeliverNotifications(services.db, generic.map((r) => r.delivery.id), now);
      void services.events.nudge();
      const { status: _matched, ...sameDeliveries } = filter;
      const ids = new Set(rows.map((r) => r.delivery.id));
      const genericIds = new Set(generic.map((r) => r.delivery.id));
      const after = await listDeliveries(services.db, organizationId, sameDeliveries);
      const genericAfter = await listGeneric(organizationId, sameDeliveries);
      return [
        ...after.filter((r) => ids.has(r.delivery.id)).map((r) => deliveryView(r, false)),
        ...genericAfter
          .filter((r) => genericIds.has(r.delivery.id))
          .map((r) => notificationDeliveryView(r, false)),
      ];
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
      const organizationId = principal.organization.id;
      const found = await list(organizationId, { eventId: notificationId }, request.query.hydrate);
      // A generic notification may have no delivery at all (no webhook subscriber to its topic).
      if (found.length === 0 && !(await isGenericNotification(services, organizationId, notificationId))) {
        throw apiError('notification.not-found', { id: notificationId });
      }
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
      const filter = UUID.test(subscriptionId)
        ? { eventId: notificationId, subscriptionId }
        : { eventId: notificationId, instanceId: Number(subscriptionId) };
      const found = await list(principal.organization.id, filter, request.query.hydrate);
      if (found.length === 0) {
        throw apiError('notification.not-found', { id: notificationId, subscriptionId });
      }
      return found;
    },
  );
}

/**
 * The generic half of a deliveries filter, or undefined when it can match none of them: one
 * naming an instance, or a notification id that is not an integer (an event id).
 */
function genericFilter(filter: DeliveryFilter): NotificationDeliveryFilter | undefined {
  if (filter.matchNone || filter.instanceId !== undefined) return undefined;
  const generic: NotificationDeliveryFilter = {};
  if (filter.status) generic.status = filter.status;
  if (filter.url !== undefined) generic.url = filter.url;
  if (filter.subscriptionId !== undefined) generic.subscriptionId = filter.subscriptionId;
  if (filter.eventId !== undefined) {
    if (!/^\d+$/.test(filter.eventId) || Number(filter.eventId) > MAX_ID) return undefined;
    generic.notificationId = Number(filter.eventId);
  }
  return generic;
}

async function isGenericNotification(
  services: Services,
  organizationId: number,
  id: string,
): Promise<boolean> {
  if (!/^\d+$/.test(id) || Number(id) > MAX_ID) return false;
  return (await findNotification(services.db, organizationId, Number(id))) !== undefined;
}
