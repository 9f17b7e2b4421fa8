import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import {
  notificationDeliveries,
  notifications,
  notificationSubscriptions,
  type DeliveryStatus,
  type NotificationChannel,
  type NotificationDeliveryRow,
  type NotificationRow,
  type NotificationSeverity,
  type NotificationSubscriptionRow,
} from './schema.js';

export interface NewNotification {
  severity: NotificationSeverity;
  topic: string;
  message: unknown;
  from: string | null;
}

/**
 * Stores a notification and, in the same transaction, one due delivery for every `webhook` and
 * `email` subscription of the organization to its topic: a process dying right after the insert
 * still delivers it. A deactivated subscription's delivery is queued when its turn comes, without
 * an attempt (spec §6.5). `sms` and `push` get no delivery (Junction has no transport for them).
 */
export async function createNotification(
  db: Database,
  organizationId: number,
  input: NewNotification,
  now: Date,
): Promise<{ notification: NotificationRow; deliveries: number }> {
  return db.transaction(async (tx) => {
    const [notification] = await tx
      .insert(notifications)
      .values({ organizationId, ...input, createdDate: now, updatedDate: now })
      .returning();
    if (!notification) throw new Error('notification insert returned nothing');
    const subscribers = await tx
      .select()
      .from(notificationSubscriptions)
      .where(
        and(
          eq(notificationSubscriptions.organizationId, organizationId),
          inArray(notificationSubscriptions.channel, DELIVERED_CHANNELS),
          sql`${notificationSubscriptions.topics} @> ${JSON.stringify([input.topic])}::jsonb`,
        ),
      );
    const rows = subscribers.map((s) => ({
      notificationId: notification.id,
      subscriptionId: s.id,
      status: 'created' as const,
      nextAttemptAt: now,
      url: destinationOf(s),
      createdDate: now,
      updatedDate: now,
    }));
    if (rows.length > 0) await tx.insert(notificationDeliveries).values(rows);
    return { notification, deliveries: rows.length };
  });
}

const DELIVERED_CHANNELS: NotificationChannel[] = ['webhook', 'email'];

/**
 * Where a subscription's deliveries go, as the deliveries API shows and filters it (`config.url`):
 * a webhook's URL, or `mailto:` and an email subscription's addresses (`config.email`).
 */
function destinationOf(subscription: NotificationSubscriptionRow): string {
  const { config } = subscription;
  if (subscription.channel !== 'email') return String(config['url']);
  const email = config['email'];
  return `mailto:${(Array.isArray(email) ? email : [email]).map(String).join(',')}`;
}

/**
 * Deletes the notifications created before `before`, acknowledged or not, with their
 * deliveries (by cascade): the same retention as events (`JUNCTION_EVENT_RETENTION_DAYS`).
 */
export async function purgeNotifications(db: Database, before: Date): Promise<void> {
  await db.delete(notifications).where(lt(notifications.createdDate, before));
}

export async function findNotification(
  db: Database,
  organizationId: number,
  id: number,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.id, id)));
  return row;
}

export interface NotificationSearch {
  topics?: string[];
  severities?: NotificationSeverity[];
  acknowledged?: boolean;
}

export async function searchNotifications(
  db: Database,
  organizationId: number,
  search: NotificationSearch,
): Promise<NotificationRow[]> {
  const conditions = [eq(notifications.organizationId, organizationId)];
  if (search.topics) conditions.push(inArray(notifications.topic, search.topics));
  if (search.severities) conditions.push(inArray(notifications.severity, search.severities));
  if (search.acknowledged !== undefined) conditions.push(eq(notifications.acknowledged, search.acknowledged));
  return db
    .select()
    .from(notifications)
    .where(and(...conditions))
    .orderBy(asc(notifications.id));
}

/** Marks a notification acknowledged; undefined when the organization has no such notification. */
export async function acknowledgeNotification(
  db: Database,
  organizationId: number,
  id: number,
  now: Date,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .update(notifications)
    .set({ acknowledged: true, updatedDate: now })
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.id, id)))
    .returning();
  return row;
}

/** Deletes a notification and its deliveries; whether it existed. */
export async function deleteNotification(db: Database, organizationId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.id, id)))
    .returning({ id: notifications.id });
  return rows.length > 0;
}

export interface NewSubscription {
  channel: NotificationChannel;
  topics: string[];
  config: Record<string, unknown>;
}

export async function createSubscription(
  db: Database,
  organizationId: number,
  input: NewSubscription,
  now: Date,
): Promise<NotificationSubscriptionRow> {
  const [row] = await db
    .insert(notificationSubscriptions)
    .values({ id: randomUUID(), organizationId, ...input, createdDate: now, updatedDate: now })
    .returning();
  if (!row) throw new Error('subscription insert returned nothing');
  return row;
}

export async function listSubscriptions(
  db: Database,
  organizationId: number,
): Promise<NotificationSubscriptionRow[]> {
  return db
    .select()
    .from(notificationSubscriptions)
    .where(eq(notificationSubscriptions.organizationId, organizationId))
    .orderBy(asc(notificationSubscriptions.createdDate), asc(notificationSubscriptions.id));
}

export async function findSubscription(
  db: Database,
  organizationId: number,
  id: string,
): Promise<NotificationSubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(notificationSubscriptions)
    .where(ownSubscription(organizationId, id));
  return row;
}

function ownSubscription(organizationId: number, id: string) {
  return and(eq(notificationSubscriptions.organizationId, organizationId), eq(notificationSubscriptions.id, id));
}

/** Deletes a subscription and its deliveries; whether it existed. */
export async function deleteSubscription(db: Database, organizationId: number, id: string): Promise<boolean> {
  const rows = await db
    .delete(notificationSubscriptions)
    .where(ownSubscription(organizationId, id))
    .returning({ id: notificationSubscriptions.id });
  return rows.length > 0;
}

/** Ids of up to `limit` notification deliveries that are due and not leased, oldest first. */
export async function dueNotificationDeliveryIds(db: Database, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(and(dueAt(now), unleasedAt(now)))
    .orderBy(asc(notificationDeliveries.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedNotificationDelivery {
  delivery: NotificationDeliveryRow;
  notification: NotificationRow;
  subscription: NotificationSubscriptionRow;
}

/**
 * Takes one delivery for this process until `leaseUntil`, if it is still due and nobody holds
 * it (the same lease scheme as the event outbox, see `claimDelivery`).
 */
export async function claimNotificationDelivery(
  db: Database,
  id: number,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedNotificationDelivery | undefined> {
  const [delivery] = await db
    .update(notificationDeliveries)
    .set({ lockedUntil: leaseUntil })
    .where(and(eq(notificationDeliveries.id, id), dueAt(now), unleasedAt(now)))
    .returning();
  if (!delivery) return undefined;
  const [row] = await db
    .select({ notification: notifications, subscription: notificationSubscriptions })
    .from(notifications)
    .innerJoin(notificationSubscriptions, eq(notificationSubscriptions.id, delivery.subscriptionId))
    .where(eq(notifications.id, delivery.notificationId));
  return row ? { delivery, ...row } : undefined;
}

function dueAt(now: Date) {
  return and(
    inArray(notificationDeliveries.status, ['created', 'retry']),
    lte(notificationDeliveries.nextAttemptAt, now),
  );
}

function unleasedAt(now: Date) {
  return or(isNull(notificationDeliveries.lockedUntil), lt(notificationDeliveries.lockedUntil, now));
}

export interface NotificationAttempt {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
}

/**
 * Records an attempt and releases the lease; with `deactivate`, also deactivates the
 * subscription in the same transaction (its last retry failed).
 */
export async function recordNotificationAttempt(
  db: Database,
  delivery: NotificationDeliveryRow,
  outcome: NotificationAttempt,
  now: Date,
  deactivate: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(notificationDeliveries)
      .set({ ...outcome, lockedUntil: null, updatedDate: now })
      .where(eq(notificationDeliveries.id, delivery.id));
    if (!deactivate) return;
    await tx
      .update(notificationSubscriptions)
      .set({ active: false, updatedDate: now })
      .where(eq(notificationSubscriptions.id, delivery.subscriptionId));
  });
}

/** What the deliveries API (`GET|PUT /notifications/subscriptions/deliveries`) selects. */
export interface NotificationDeliveryFilter {
  status?: DeliveryStatus[];
  url?: string;
  notificationId?: number;
  subscriptionId?: string;
}

/** A delivery of a generic notification, with its notification and subscription. */
export type ListedNotificationDelivery = ClaimedNotificationDelivery;

export async function listOrganizationNotificationDeliveries(
  db: Database,
  organizationId: number,
  filter: NotificationDeliveryFilter,
): Promise<ListedNotificationDelivery[]> {
  const conditions = [eq(notifications.organizationId, organizationId)];
  if (filter.status?.length) conditions.push(inArray(notificationDeliveries.status, filter.status));
  if (filter.url !== undefined) conditions.push(eq(notificationDeliveries.url, filter.url));
  if (filter.notificationId !== undefined) {
    conditions.push(eq(notificationDeliveries.notificationId, filter.notificationId));
  }
  if (filter.subscriptionId !== undefined) {
    conditions.push(eq(notificationDeliveries.subscriptionId, filter.subscriptionId));
  }
  return db
    .select({
      delivery: notificationDeliveries,
      notification: notifications,
      subscription: notificationSubscriptions,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(
      notificationSubscriptions,
      eq(notificationSubscriptions.id, notificationDeliveries.subscriptionId),
    )
    .where(and(...conditions))
    .orderBy(asc(notificationDeliveries.id));
}

/**
 * Makes deliveries due again now with a fresh retry budget and reactivates their
 * subscriptions, in one transaction (the generic half of the deliveries `PUT`).
 */
export async function redeliverNotifications(db: Database, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(notificationDeliveries)
      .set({ status: 'retry', attempts: 0, nextAttemptAt: now, lockedUntil: null, updatedDate: now })
      .where(inArray(notificationDeliveries.id, ids))
      .returning({ subscriptionId: notificationDeliveries.subscriptionId });
    const subscriptionIds = [...new Set(rows.map((r) => r.subscriptionId))];
    await tx
      .update(notificationSubscriptions)
      .set({ active: true, updatedDate: now })
      .where(inArray(notificationSubscriptions.id, subscriptionIds));
  });
}
