import { eq, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { eventHookRemovals, eventHooks, instances, type HookRemovalRow } from './schema.js';

type Executor = Pick<Database, 'execute'>;

/** What removing an instance's hooks takes when the instance may be gone. */
export interface RemovalSnapshot {
  instanceId: number;
  elementKey: string;
  configuration: Record<string, string>;
  /** Secret entries, sealed as the instance row holds them. */
  secrets: Record<string, string>;
  credentialsVersion: number;
}

/**
 * Moves an instance's hook row into the removals, with the credentials `snapshot` holds, in one
 * statement: afterwards the hooks are either still the instance's or queued for removal.
 */
export async function moveHooksToRemoval(db: Executor, snapshot: RemovalSnapshot, now: Date): Promise<void> {
  await db.execute(sql`
    with moved as (delete from ${eventHooks} where instance_id = ${snapshot.instanceId} returning hooks)
    insert into ${eventHookRemovals}
      (instance_id, element_key, configuration, secrets, credentials_version, hooks, next_attempt_at, created_date)
    select ${snapshot.instanceId}::integer, ${snapshot.elementKey}::text, ${JSON.stringify(snapshot.configuration)}::jsonb,
      ${JSON.stringify(snapshot.secrets)}::jsonb, ${snapshot.credentialsVersion}::integer, moved.hooks,
      ${now}::timestamptz, ${now}::timestamptz
    from moved where moved.hooks <> '{}'::jsonb`);
}

/**
 * The same for an instance that still exists, with the credentials its row holds now. A hook row
 * whose instance is gone has nothing to remove its hooks with, and is only forgotten.
 */
export async function queueHookRemoval(db: Database, instanceId: number, now: Date): Promise<void> {
  await db.execute(sql`
    with moved as (delete from ${eventHooks} where instance_id = ${instanceId} returning instance_id, hooks)
    insert into ${eventHookRemovals}
      (instance_id, element_key, configuration, secrets, credentials_version, hooks, next_attempt_at, created_date)
    select i.id, i.element_key, i.configuration, i.secrets, i.credentials_version, moved.hooks,
      ${now}::timestamptz, ${now}::timestamptz
    from moved join ${instances} i on i.id = moved.instance_id
    where moved.hooks <> '{}'::jsonb`);
}

/** Queues hooks registered for an instance seen gone, with credentials sealed by the caller. */
export async function addHookRemoval(db: Database, snapshot: RemovalSnapshot, hooks: Record<string, string>, now: Date): Promise<void> {
  await db.insert(eventHookRemovals).values({ ...snapshot, hooks, nextAttemptAt: now, createdDate: now });
}

/** Takes the next due removal until `leaseUntil`; one process at a time works on each. */
export async function claimHookRemoval(db: Database, now: Date, leaseUntil: Date): Promise<HookRemovalRow | undefined> {
  const result = (await db.execute(sql`
    update ${eventHookRemovals} set locked_until = ${leaseUntil}
    where id = (
      select id from ${eventHookRemovals}
      where next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
      order by id limit 1 for update skip locked
    )
    returning id`)) as unknown as { rows: { id: number }[] };
  const id = result.rows[0]?.id;
  if (id === undefined) return undefined;
  const [row] = await db.select().from(eventHookRemovals).where(eq(eventHookRemovals.id, id));
  return row;
}

export async function finishHookRemoval(db: Database, id: number): Promise<void> {
  await db.delete(eventHookRemovals).where(eq(eventHookRemovals.id, id));
}

/** Keeps the hooks not yet removed for another try at `at`. */
export async function retryHookRemoval(
  db: Database,
  id: number,
  hooks: Record<string, string>,
  attempts: number,
  at: Date,
  error: string,
): Promise<void> {
  await db
    .update(eventHookRemovals)
    .set({ hooks, attempts, nextAttemptAt: at, lockedUntil: null, lastError: error })
    .where(eq(eventHookRemovals.id, id));
}

export async function listHookRemovals(db: Database): Promise<HookRemovalRow[]> {
  return db.select().from(eventHookRemovals).orderBy(eventHookRemovals.id);
}

/** Replaces a removal's sealed secrets (a key rotation re-sealing them). */
export async function replaceRemovalSecrets(db: Database, id: number, secrets: Record<string, string>): Promise<void> {
  await db.update(eventHookRemovals).set({ secrets }).where(eq(eventHookRemovals.id, id));
}
