import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventDeliveries, events } from './schema.js';

/** Buckets the analytics can count by (`date_trunc` units). */
export const INTERVALS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface CountQuery {
  organizationId: number;
  /** Only these instances' events; undefined: every instance of the organization. */
  instanceIds?: number[];
  from: Date;
  to: Date;
  interval: Interval;
  /** Counts per instance as well as per bucket. */
  perInstance: boolean;
}

export interface EventCounts {
  /** Start of the bucket, UTC, ISO 8601. */
  timestamp: string;
  instanceId?: number;
  count: number;
  success: number;
  failed: number;
}

/**
 * Events created in [from, to] counted per `interval` bucket (UTC), with how many were delivered
 * and how many failed (queued, or awaiting a retry after a failed attempt). Only non-empty
 * buckets are returned, oldest first.
 */
export async function countEvents(db: Database, query: CountQuery): Promise<EventCounts[]> {
  if (query.instanceIds?.length === 0) return [];
  // The interval is one of INTERVALS (checked by the caller), so it may be written as SQL text.
  const truncated = sql`date_trunc('${sql.raw(query.interval)}', ${events.createdDate} at time zone 'UTC')`;
  const bucket = sql<string>`to_char(${truncated}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const status = eventDeliveries.status;
  const attempted = sql`${eventDeliveries.attempts} > 0`;
  const counts = {
    timestamp: bucket,
    count: sql<number>`count(*)::int`,
    success: sql<number>`(count(*) filter (where ${status} = 'delivered'))::int`,
    failed: sql<number>`(count(*) filter (where ${status} = 'queued' or (${status} = 'retry' and ${attempted})))::int`,
  };
  const conditions = [
    eq(events.organizationId, query.organizationId),
    gte(events.createdDate, query.from),
    lte(events.createdDate, query.to),
  ];
  if (query.instanceIds) conditions.push(inArray(events.instanceId, query.instanceIds));
  const where = and(...conditions);
  const delivered = eq(eventDeliveries.eventId, events.id);
  if (!query.perInstance) {
    return db
      .select(counts)
      .from(events)
      .leftJoin(eventDeliveries, delivered)
      .where(where)
      .groupBy(bucket)
      .orderBy(asc(bucket));
  }
  return db
    .select({ ...counts, instanceId: events.instanceId })
    .from(events)
    .leftJoin(eventDeliveries, delivered)
    .where(where)
    .groupBy(bucket, events.instanceId)
    .orderBy(asc(bucket), asc(events.instanceId));
}
