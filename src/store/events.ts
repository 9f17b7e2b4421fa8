import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import {
  eventChanges,
  eventDeliveries,
  eventHooks,
  eventPollState,
  events,
  instances,
  type EventRow,
  type EventSource,
  type PollStateRow,
} from './schema.js';

/** A change about to become part of an event; `key` tells duplicates apart. */
export interface ChangeKey {
  objectType: string;
  objectId: string;
  changedAt: string;
}

/** One event to store with its outbox entry. */
export interface EventDraft {
  id: string;
  changes: ChangeKey[];
  providerData: string;
  body: string;
}

export interface EventOwner {
  instanceId: number;
  organizationId: number;
  elementKey: string;
  source: EventSource;
}

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Stores what is new among `candidates` as events, each with a delivery due now, in one
 * transaction with `alsoDo` (a poll's watermark): either all of it is stored or none, so a
 * crash can neither lose a change nor report it twice. `build` turns the new changes into
 * events (ids, bodies); changes already seen are dropped before it is called.
 */
export async function storeEvents<C extends ChangeKey>(
  db: Database,
  owner: EventOwner,
  candidates: C[],
  build: (fresh: C[]) => EventDraft[],
  now: Date,
  alsoDo?: (tx: Tx) => Promise<void>,
): Promise<EventDraft[]> {
  return db.transaction(async (tx) => {
    const fresh = await unseen(tx, owner.instanceId, candidates);
    const drafts = build(fresh);
    await insertEvents(tx, owner, drafts, now);
    if (alsoDo) await alsoDo(tx);
    return drafts;
  });
}

async function unseen<C extends ChangeKey>(tx: Tx, instanceId: number, candidates: C[]): Promise<C[]> {
  const unique = new Map<string, C>();
  for (const c of candidates) unique.set(changeKey(c), c);
  if (unique.size === 0) return [];
  const ids = [...new Set(candidates.map((c) => c.objectId))];
  const seen = await tx
    .select({ objectType: eventChanges.objectType, objectId: eventChanges.objectId, changedAt: eventChanges.changedAt })
    .from(eventChanges)
    .where(and(eq(eventChanges.instanceId, instanceId), inArray(eventChanges.objectId, ids)));
  for (const row of seen) unique.delete(changeKey(row));
  return [...unique.values()];
}

function changeKey(c: ChangeKey): string {
  return JSON.stringify([c.objectType, c.objectId, c.changedAt]);
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters at 12 per row. */
const ROWS_PER_INSERT = 1000;

/** The events, their changes and their deliveries, a few statements for the lot. */
async function insertEvents(tx: Tx, owner: EventOwner, drafts: EventDraft[], now: Date): Promise<void> {
  const eventRows = drafts.map((draft) => ({
    id: draft.id,
    instanceId: owner.instanceId,
    organizationId: owner.organizationId,
    elementKey: owner.elementKey,
    source: owner.source,
    status: 'RECEIVED' as const,
    providerData: draft.providerData,
    body: draft.body,
    createdDate: now,
    updatedDate: now,
  }));
  const changeRows = drafts.flatMap((draft) =>
    draft.changes.map((c) => ({ ...c, instanceId: owner.instanceId, eventId: draft.id, createdDate: now })),
  );
  const deliveryRows = drafts.map((draft) => ({
    eventId: draft.id,
    instanceId: owner.instanceId,
    status: 'created' as const,
    nextAttemptAt: now,
    createdDate: now,
    updatedDate: now,
  }));
  for (const part of chunked(eventRows)) await tx.insert(events).values(part);
  for (const part of chunked(changeRows)) await tx.insert(eventChanges).values(part).onConflictDoNothing();
  for (const part of chunked(deliveryRows)) await tx.insert(eventDeliveries).values(part);
}

function chunked<T>(rows: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) parts.push(rows.slice(i, i + ROWS_PER_INSERT));
  return parts;
}

export async function findEvent(db: Database, instanceIds: number[], id: string): Promise<EventRow | undefined> {
  if (instanceIds.length === 0) return undefined;
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), inArray(events.instanceId, instanceIds)));
  return row;
}

export async function listEvents(
  db: Database,
  instanceIds: number[],
  offset: number,
  limit: number,
): Promise<{ rows: EventRow[]; total: number }> {
  if (instanceIds.length === 0) return { rows: [], total: 0 };
  const where = inArray(events.instanceId, instanceIds);
  const rows = await db
    .select()
    .from(events)
    .where(where)
    .orderBy(desc(events.createdDate), desc(events.id))
    .offset(offset)
    .limit(limit);
  const [counted] = await db.select({ n: count() }).from(events).where(where);
  return { rows, total: counted?.n ?? 0 };
}

export async function setEventStatus(db: Database, id: string, status: EventRow['status'], now: Date): Promise<void> {
  await db.update(events).set({ status, updatedDate: now }).where(eq(events.id, id));
}

/** Drops events (and their outbox entries and seen changes) older than `before`. */
export async function purgeEvents(db: Database, before: Date): Promise<void> {
  await db.delete(events).where(lt(events.createdDate, before));
  await db.delete(eventChanges).where(lt(eventChanges.createdDate, before));
}

/** Starts a resource's poll state at `watermark` unless it exists. */
export async function ensurePollState(
  db: Database,
  instanceId: number,
  resource: string,
  watermark: Date,
  nextPollAt: Date,
): Promise<void> {
  await db.insert(eventPollState).values({ instanceId, resource, watermark, nextPollAt }).onConflictDoNothing();
}

/**
 * Takes a due poll for this process until `leaseUntil`. The conditional update is the lock:
 * of several processes racing for one row, exactly one gets it back.
 */
export async function claimPoll(
  db: Database,
  instanceId: number,
  resource: string,
  now: Date,
  leaseUntil: Date,
): Promise<PollStateRow | undefined> {
  const [row] = await db
    .update(eventPollState)
    .set({ lockedUntil: leaseUntil })
    .where(
      and(
        eq(eventPollState.instanceId, instanceId),
        eq(eventPollState.resource, resource),
        sql`${eventPollState.nextPollAt} <= ${now}`,
        sql`(${eventPollState.lockedUntil} is null or ${eventPollState.lockedUntil} < ${now})`,
      ),
    )
    .returning();
  return row;
}

/** Ends a sweep: the new watermark (only after a complete one), the next poll, no lock. */
export async function releasePoll(
  db: Database | Tx,
  instanceId: number,
  resource: string,
  changes: { watermark?: Date; nextPollAt: Date; lastError: string | null },
): Promise<void> {
  await db
    .update(eventPollState)
    .set({ ...changes, lockedUntil: null })
    .where(and(eq(eventPollState.instanceId, instanceId), eq(eventPollState.resource, resource)));
}

export async function pollStates(db: Database, instanceId: number): Promise<PollStateRow[]> {
  return db.select().from(eventPollState).where(eq(eventPollState.instanceId, instanceId)).orderBy(asc(eventPollState.resource));
}

/** Forgets resources no longer polled, so polling them again starts afresh; returns the rest. */
export async function dropPollStates(db: Database, instanceId: number, keep: string[]): Promise<PollStateRow[]> {
  const states = await pollStates(db, instanceId);
  const gone = states.filter((s) => !keep.includes(s.resource)).map((s) => s.resource);
  if (gone.length > 0) {
    await db
      .delete(eventPollState)
      .where(and(eq(eventPollState.instanceId, instanceId), inArray(eventPollState.resource, gone)));
  }
  return states.filter((s) => keep.includes(s.resource));
}

/**
 * Of the instances whose events are on, those with work that may be due at `now`: a poll due
 * and not held, or neither poll state nor registered hooks yet (a new or switched instance,
 * or hooks still to register). An instance with registered hooks, or whose polls all wait, is
 * left out, so a tick costs what is due rather than what exists.
 */
export async function instancesWithEventWork(db: Database, now: Date): Promise<number[]> {
  const hooked = db
    .select({ one: sql`1` })
    .from(eventHooks)
    .where(and(eq(eventHooks.instanceId, instances.id), eq(eventHooks.status, 'registered')));
  const anyPoll = db.select({ one: sql`1` }).from(eventPollState).where(eq(eventPollState.instanceId, instances.id));
  const duePoll = db
    .select({ one: sql`1` })
    .from(eventPollState)
    .where(
      and(
        eq(eventPollState.instanceId, instances.id),
        sql`${eventPollState.nextPollAt} <= ${now}`,
        sql`(${eventPollState.lockedUntil} is null or ${eventPollState.lockedUntil} < ${now})`,
      ),
    );
  const rows = await db
    .select({ id: instances.id })
    .from(instances)
    .where(
      and(
        sql`lower(${instances.configuration}->>'event.notification.enabled') = 'true'`,
        eq(instances.disabled, false),
        sql`(exists ${duePoll} or (not exists ${anyPoll} and not exists ${hooked}))`,
      ),
    )
    .orderBy(asc(instances.id));
  return rows.map((r) => r.id);
}
