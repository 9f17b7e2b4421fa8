import { and, eq, sql } from 'drizzle-orm';
import type { Database, Store } from './open.js';
import { instances, type InstanceRow } from './schema.js';

/**
 * Data access for an instance's provider credentials: the row lock that makes one process at a
 * time spend a refresh token, and writes fenced by `credentials_version`.
 */

/** How long a process waits for another's refresh before giving up (PostgreSQL only). */
const LOCK_TIMEOUT = '30s';

/**
 * Runs `work` with the instance's row locked against other processes. On PostgreSQL that is
 * `select … for update` in a transaction, released at commit or when the holder's connection
 * dies. The embedded store has one process, whose callers already share one refresh, and a
 * single connection a long transaction would block, so there `work` runs without one.
 * `work` must not throw to report an outcome: a throw rolls back what it wrote.
 */
export async function withLockedInstance<T>(
  store: Pick<Store, 'db' | 'kind'>,
  id: number,
  work: (row: InstanceRow | undefined, db: Database) => Promise<T>,
): Promise<T> {
  if (store.kind === 'embedded') return work(await findById(store.db, id), store.db);
  return store.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`));
    const [row] = await tx.select().from(instances).where(eq(instances.id, id)).for('update');
    return work(row, tx as unknown as Database);
  });
}

export async function findById(db: Database, id: number): Promise<InstanceRow | undefined> {
  const [row] = await db.select().from(instances).where(eq(instances.id, id));
  return row;
}

/**
 * Stores the tokens of a refresh, merged into the row, only if the grant is still the one
 * that was spent (`expectedVersion`); returns undefined when another writer got there first.
 */
export async function writeRefreshedTokens(
  db: Database,
  id: number,
  expectedVersion: number,
  sealed: Record<string, string>,
  plain: Record<string, string>,
): Promise<InstanceRow | undefined> {
  const [row] = await db
    .update(instances)
    .set({
      secrets: sql`${instances.secrets} || ${JSON.stringify(sealed)}::jsonb`,
      configuration: sql`${instances.configuration} || ${JSON.stringify(plain)}::jsonb`,
      credentialsVersion: sql`${instances.credentialsVersion} + 1`,
      updatedDate: new Date(),
    })
    .where(and(eq(instances.id, id), eq(instances.credentialsVersion, expectedVersion)))
    .returning();
  return row;
}

/** Marks an instance invalid after the provider refused its grant, if the grant is unchanged. */
export async function markInvalid(
  db: Database,
  id: number,
  expectedVersion: number,
): Promise<InstanceRow | undefined> {
  const [row] = await db
    .update(instances)
    .set({ valid: false, updatedDate: new Date() })
    .where(and(eq(instances.id, id), eq(instances.credentialsVersion, expectedVersion)))
    .returning();
  return row;
}

/**
 * Ids of valid, enabled instances holding a refresh token whose last refresh (or creation) is
 * older than `before` (epoch ms): the ones whose refresh token could lapse while idle.
 */
export async function findIdleInstanceIds(db: Database, before: number): Promise<number[]> {
  const refreshedAt = sql`case
    when ${instances.configuration}->>'oauth.user.refresh_time' ~ '^[0-9]{1,15}$'
    then (${instances.configuration}->>'oauth.user.refresh_time')::bigint
    else (extract(epoch from ${instances.createdDate}) * 1000)::bigint end`;
  const rows = await db
    .select({ id: instances.id })
    .from(instances)
    .where(
      and(
        eq(instances.valid, true),
        eq(instances.disabled, false),
        sql`${instances.secrets} ? 'oauth.user.refresh_token'`,
        sql`${refreshedAt} < ${before}`,
      ),
    );
  return rows.map((r) => r.id);
}

export async function listInstanceIds(db: Database): Promise<number[]> {
  const rows = await db.select({ id: instances.id }).from(instances).orderBy(instances.id);
  return rows.map((r) => r.id);
}

/** Writes re-sealed envelopes (same values, new key); call it with the row locked. */
export async function replaceSealed(
  db: Database,
  id: number,
  secrets: Record<string, string>,
  tokenSecret: string,
): Promise<void> {
  await db.update(instances).set({ secrets, tokenSecret }).where(eq(instances.id, id));
}
