import type { ListedDelivery } from '../store/deliveries.js';
import type { EventRow } from '../store/schema.js';

/** Instance ids in vendor-facing URLs are base64 of the decimal id (spec §6.1). */
export function encodeInstanceId(id: number): string {
  return Buffer.from(String(id)).toString('base64');
}

export function decodeInstanceId(encoded: string): number | undefined {
  const text = Buffer.from(decodeURIComponent(encoded), 'base64').toString('utf8');
  const id = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** An event record (spec §6.6). */
export function eventView(row: EventRow) {
  const message = (JSON.parse(row.body) as { message?: { events?: unknown[] } }).message;
  return {
    id: row.id,
    instanceId: row.instanceId,
    encodedInstanceId: encodeInstanceId(row.instanceId),
    elementKey: row.elementKey,
    eventDate: row.createdDate.toISOString(),
    status: row.status,
    source: row.source,
    providerData: row.providerData,
    notifiedData: message?.events ?? [],
  };
}

/**
 * A delivery of spec §6.5; `hydrate` fills the notification and subscription. In Junction's model
 * the notification is the event (`notificationId` = the event id of `/instances/events/{id}`)
 * and the subscription is the instance's own callback (`subscriptionId` = the instance id): each
 * event has one delivery, to its instance's `event.notification.callback.url`. `active` is false
 * while the subscription is deactivated after a failed last retry.
 */
export function deliveryView(listed: ListedDelivery, hydrate: boolean) {
  const { delivery: row, body, active } = listed;
  const subscription = { id: row.instanceId, channel: 'webhook', active, config: { url: row.url ?? '' } };
  return {
    id: row.id,
    notificationId: row.eventId,
    subscriptionId: row.instanceId,
    channel: 'webhook',
    status: row.status,
    attempts: row.attempts,
    nextAttemptDate: row.nextAttemptAt?.toISOString() ?? null,
    lastResponseStatus: row.lastStatus,
    lastError: row.lastError,
    createdDate: row.createdDate.toISOString(),
    updatedDate: row.updatedDate.toISOString(),
    ...(hydrate
      ? { notification: { id: row.eventId, topic: 'events', message: JSON.parse(body) as unknown }, subscription }
      : {}),
  };
}
