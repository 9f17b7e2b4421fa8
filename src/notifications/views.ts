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
