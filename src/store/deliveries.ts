import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventDeliveries, events, type DeliveryRow, type DeliveryStatus } from './schema.js';

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

/** Records an attempt and releases the lease. */
export async function recordAttempt(db: Database, id: number, outcome: AttemptOutcome, now: Date): Promise<void> {
  await db
    .update(eventDeliveries)
    .set({ ...outcome, lockedUntil: null, updatedDate: now })
    .where(eq(eventDeliveries.id, id));
}

export interface DeliveryFilter {
  status?: DeliveryStatus[];
  url?: string;
  eventId?: string;
  /** Set when the filter can match nothing (another channel than `webhook`). */
  matchNone?: boolean;
}

export async function listDeliveries(
  db: Database,
  organizationId: number,
  filter: DeliveryFilter,
): Promise<{ delivery: DeliveryRow; body: string }[]> {
  if (filter.matchNone) return [];
  const conditions = [eq(events.organizationId, organizationId)];
  if (filter.status?.length) conditions.push(inArray(eventDeliveries.status, filter.status));
  if (filter.url !== undefined) conditions.push(eq(eventDeliveries.url, filter.url));
  if (filter.eventId !== undefined) conditions.push(eq(eventDeliveries.eventId, filter.eventId));
  const rows = await db
    .select({ delivery: eventDeliveries, body: events.body })
    .from(eventDeliveries)
    .innerJoin(events, eq(events.id, eventDeliveries.eventId))
    .where(and(...conditions))
    .orderBy(asc(eventDeliveries.id));
  return rows;
}

/** Makes deliveries due again now, with a fresh retry budget (redelivery of queued ones). */
export async function redeliver(db: Database, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(eventDeliveries)
    .set({ status: 'retry', attempts: 0, nextAttemptAt: now, lockedUntil: null, updatedDate: now })
    .where(inArray(eventDeliveries.id, ids));
}

export async function findDelivery(db: Database, eventId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(eventDeliveries).where(eq(eventDeliveries.eventId, eventId));
  return row;
}
