import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventHooks, eventInbox, type HookRow, type InboxRow } from './schema.js';

export async function addToInbox(db: Database, instanceIds: number[], body: unknown, now: Date): Promise<void> {
  if (instanceIds.length === 0) return;
  await db.insert(eventInbox).values(
    instanceIds.map((instanceId) => ({ instanceId, body, receivedDate: now, nextAttemptAt: now })),
  );
}

/** Takes the next due inbound payload until `leaseUntil` (see `claimDelivery`). */
export async function claimInbox(db: Database, now: Date, leaseUntil: Date): Promise<InboxRow | undefined> {
  const result = (await db.execute(sql`
    update ${eventInbox} set locked_until = ${leaseUntil}
    where id = (
      select id from ${eventInbox}
      where next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
      order by id limit 1 for update skip locked
    )
    returning id`)) as unknown as { rows: { id: number }[] };
  const id = result.rows[0]?.id;
  if (id === undefined) return undefined;
  const [row] = await db.select().from(eventInbox).where(eq(eventInbox.id, id));
  return row;
}

export async function removeFromInbox(db: Database, id: number): Promise<void> {
  await db.delete(eventInbox).where(eq(eventInbox.id, id));
}

export async function retryInbox(db: Database, id: number, attempts: number, at: Date, error: string): Promise<void> {
  await db
    .update(eventInbox)
    .set({ attempts, nextAttemptAt: at, lockedUntil: null, lastError: error })
    .where(eq(eventInbox.id, id));
}

export async function inboxSize(db: Database): Promise<number> {
  const rows = await db.select({ id: eventInbox.id }).from(eventInbox).orderBy(asc(eventInbox.id));
  return rows.length;
}

export async function findHook(db: Database, instanceId: number): Promise<HookRow | undefined> {
  const [row] = await db.select().from(eventHooks).where(eq(eventHooks.instanceId, instanceId));
  return row;
}

export async function saveHook(db: Database, row: HookRow): Promise<void> {
  await db
    .insert(eventHooks)
    .values(row)
    .onConflictDoUpdate({ target: eventHooks.instanceId, set: { ...row } });
}

export async function deleteHook(db: Database, instanceId: number): Promise<void> {
  await db.delete(eventHooks).where(eq(eventHooks.instanceId, instanceId));
}

export async function listHooks(db: Database): Promise<HookRow[]> {
  return db.select().from(eventHooks).orderBy(asc(eventHooks.instanceId));
}
