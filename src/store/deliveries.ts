import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventDeliveries, events, type DeliveryRow, type DeliveryStatus } from './schema.js';

/**
 * Takes up to `limit` deliveries that are due, for this process until `leaseUntil`. A process
 * that dies mid-delivery leaves its lease to run out; the delivery is then taken again, so
 * every event is delivered at least once. `skip locked` lets several processes share the work.
 */
export async function claimDeliveries(
  db: Database,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DeliveryRow[]> {
  const result = (await db.execute(sql`
    update ${eventDeliveries} set locked_until = ${leaseUntil}
    where id in (
      select id from ${eventDeliveries}
      where status in ('created', 'retry') and next_attempt_at <= ${now}
        and (locked_until is null or locked_until < ${now})
      order by id
      limit ${limit}
      for update skip locked
    )
    returning id`)) as unknown as { rows: { id: number }[] };
  const ids = result.rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(eventDeliveries).where(inArray(eventDeliveries.id, ids)).orderBy(asc(eventDeliveries.id));
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
