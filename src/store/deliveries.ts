import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventDeliveries, events, eventSubscriptions, type DeliveryRow, type DeliveryStatus } from './schema.js';

/** Ids of up to `limit` deliveries that are due and not leased, oldest first. */
export async function dueDeliveryIds(db: Database, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: eventDeliveries.id })
    .from(eventDeliveries)
    .where(and(dueAt(now), unleasedAt(now)))
    .orderBy(asc(eventDeliveries.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Takes one delivery for this process until `leaseUntil`, if it is still due and nobody holds
 * it. A process that dies mid-delivery leaves its lease to run out; the delivery is then taken
 * again, so every event is delivered at least once, and never by two processes at a time.
 */
export async function claimDelivery(
  db: Database,
  id: number,
  now: Date,
  leaseUntil: Date,
): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(eventDeliveries)
    .set({ lockedUntil: leaseUntil })
    .where(and(eq(eventDeliveries.id, id), dueAt(now), unleasedAt(now)))
    .returning();
  return row;
}

function dueAt(now: Date) {
  return and(inArray(eventDeliveries.status, ['created', 'retry']), lte(eventDeliveries.nextAttemptAt, now));
}

function unleasedAt(now: Date) {
  return or(isNull(eventDeliveries.lockedUntil), lt(eventDeliveries.lockedUntil, now));
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  url: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

/**
 * Records an attempt and releases the lease; with `deactivate`, also deactivates that instance's
 * subscription, in the same transaction (the last retry failed).
 */
export async function recordAttempt(
  db: Database,
  id: number,
  outcome: AttemptOutcome,
  now: Date,
  deactivate?: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(eventDeliveries)
      .set({ ...outcome, lockedUntil: null, updatedDate: now })
      .where(eq(eventDeliveries.id, id));
    if (deactivate === undefined) return;
    const inactive = { active: false, deactivatedDate: now, updatedDate: now };
    await tx
      .insert(eventSubscriptions)
      .values({ instanceId: deactivate, ...inactive })
      .onConflictDoUpdate({ target: eventSubscriptions.instanceId, set: inactive });
  });
}

/** Whether the instance's subscription takes deliveries (no row: it was never deactivated). */
export async function subscriptionActive(db: Database, instanceId: number): Promise<boolean> {
  const [row] = await db
    .select({ active: eventSubscriptions.active })
    .from(eventSubscriptions)
    .where(eq(eventSubscriptions.instanceId, instanceId));
  return row?.active ?? true;
}

export interface DeliveryFilter {
  status?: DeliveryStatus[];
  instanceId?: number;
  url?: string;
  eventId?: string;
  /** A notification subscription's UUID: matches no event delivery (their subscriptions are instances). */
  subscriptionId?: string;
  /** Set when the filter can match nothing (another channel than `webhook`). */
  matchNone?: boolean;
}

/** A delivery with its event's body and whether its subscription is active. */
export interface ListedDelivery {
  delivery: DeliveryRow;
  body: string;
  active: boolean;
}

export async function listDeliveries(
  db: Database,
  organizationId: number,
  filter: DeliveryFilter,
): Promise<ListedDelivery[]> {
  if (filter.matchNone || filter.subscriptionId !== undefined) return [];
  const conditions = [eq(events.organizationId, organizationId)];
  if (filter.instanceId !== undefined) conditions.push(eq(eventDeliveries.instanceId, filter.instanceId));
  if (filter.status?.length) conditions.push(inArray(eventDeliveries.status, filter.status));
  if (filter.url !== undefined) conditions.push(eq(eventDeliveries.url, filter.url));
  if (filter.eventId !== undefined) conditions.push(eq(eventDeliveries.eventId, filter.eventId));
  const rows = await db
    .select({ delivery: eventDeliveries, body: events.body, active: eventSubscriptions.active })
    .from(eventDeliveries)
    .innerJoin(events, eq(events.id, eventDeliveries.eventId))
    .leftJoin(eventSubscriptions, eq(eventSubscriptions.instanceId, eventDeliveries.instanceId))
    .where(and(...conditions))
    .orderBy(asc(eventDeliveries.id));
  return rows.map((r) => ({ ...r, active: r.active ?? true }));
}

/**
 * Makes deliveries due again now, with a fresh retry budget (redelivery of queued ones), and
 * reactivates the subscriptions of their instances, in one transaction.
 */
export async function redeliver(db: Database, deliveries: DeliveryRow[], now: Date): Promise<void> {
  if (deliveries.length === 0) return;
  const instanceIds = [...new Set(deliveries.map((d) => d.instanceId))];
  await db.transaction(async (tx) => {
    await tx
      .update(eventDeliveries)
      .set({ status: 'retry', attempts: 0, nextAttemptAt: now, lockedUntil: null, updatedDate: now })
      .where(inArray(eventDeliveries.id, deliveries.map((d) => d.id)));
    await tx
      .update(eventSubscriptions)
      .set({ active: true, deactivatedDate: null, updatedDate: now })
      .where(inArray(eventSubscriptions.instanceId, instanceIds));
  });
}

export async function findDelivery(db: Database, eventId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(eventDeliveries).where(eq(eventDeliveries.eventId, eventId));
  return row;
}
