import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventHooks, eventInbox, instances, type HookRow, type InboxRow } from './schema.js';

export async function addToInbox(
  db: Database,
  instanceIds: number[],
  body: unknown,
  now: Date,
  shape: InboxRow['shape'] = 'hook',
): Promise<void> {
  if (instanceIds.length === 0) return;
  await db.insert(eventInbox).values(
    instanceIds.map((instanceId) => ({ instanceId, body, shape, receivedDate: now, nextAttemptAt: now })),
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

/**
 * Saves an instance's hook row only while the instance exists. The key-share lock waits for a
 * delete in progress, so a registration racing a delete either lands before it (and is moved
 * to the removals by it) or sees the instance gone; false then. The handshake secret is the
 * inbound handler's to write (`recordHandshakeSecret`) and is left as it is.
 */
export async function saveHookIfInstance(db: Database, row: Omit<HookRow, 'handshakeSecret'>): Promise<boolean> {
  const result = (await db.execute(sql`
    insert into ${eventHooks} (instance_id, token_hash, handshake_until, hooks, status, last_error, updated_date)
    select ${row.instanceId}::integer, ${row.tokenHash}::text, ${row.handshakeUntil}::timestamptz,
      ${JSON.stringify(row.hooks)}::jsonb, ${row.status}::text, ${row.lastError}::text, ${row.updatedDate}::timestamptz
    where exists (select 1 from ${instances} where id = ${row.instanceId}::integer for key share)
    on conflict (instance_id) do update set token_hash = excluded.token_hash,
      handshake_until = excluded.handshake_until, hooks = excluded.hooks, status = excluded.status,
      last_error = excluded.last_error, updated_date = excluded.updated_date
    returning instance_id`)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

/** Keeps the secret of a handshake just answered, for a delayed verification. */
export async function recordHandshakeSecret(db: Database, instanceId: number, secret: string): Promise<void> {
  await db.update(eventHooks).set({ handshakeSecret: secret }).where(eq(eventHooks.instanceId, instanceId));
}

/** The secret of the last handshake answered, if any, forgetting it. */
export async function takeHandshakeSecret(db: Database, instanceId: number): Promise<string | undefined> {
  const result = (await db.execute(sql`
    update ${eventHooks} h set handshake_secret = null
    from (select instance_id, handshake_secret from ${eventHooks} where instance_id = ${instanceId} for update) old
    where h.instance_id = old.instance_id
    returning old.handshake_secret as secret`)) as unknown as { rows: { secret: string | null }[] };
  return result.rows[0]?.secret ?? undefined;
}
