import type { ListedNotificationDelivery } from '../store/notifications.js';
import type { NotificationRow, NotificationSubscriptionRow } from '../store/schema.js';

/** A notification as the API shows it (spec §6.5): what was posted, plus id, dates and state. */
export function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    severity: row.severity,
    topic: row.topic,
    message: row.message,
    ...(row.from === null ? {} : { from: row.from }),
    createdDate: row.createdDate.toISOString(),
    active: true,
    acknowledged: row.acknowledged,
  };
}

export function subscriptionView(row: NotificationSubscriptionRow) {
  return {
    id: row.id,
    channel: row.channel,
    topics: row.topics,
    config: row.config,
    active: row.active,
    createdDate: row.createdDate.toISOString(),
  };
}

/**
 * A delivery of a generic notification in the shape of the deliveries API (spec §6.5), beside
 * event deliveries: `notificationId` is the notification's integer id (event ids are UUIDs) and
 * `subscriptionId` the subscription's UUID (an event delivery's is an instance's integer id).
 */
export function notificationDeliveryView(listed: ListedNotificationDelivery, hydrate: boolean) {
  const { delivery: row, notification, subscription } = listed;
  return {
    id: `n${row.id}`,
    notificationId: row.notificationId,
    subscriptionId: row.subscriptionId,
    channel: subscription.channel,
    status: row.status,
    attempts: row.attempts,
    nextAttemptDate: row.nextAttemptAt?.toISOString() ?? null,
    lastResponseStatus: row.lastStatus,
    lastError: row.lastError,
    createdDate: row.createdDate.toISOString(),
    updatedDate: row.updatedDate.toISOString(),
    ...(hydrate
      ? { notification: notificationView(notification), subscription: subscriptionView(subscription) }
      : {}),
  };
}
