import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from './open.js';
import { instances, type InstanceRow, type NewInstanceRow } from './schema.js';
import { moveHooksToRemoval } from './hook-removals.js';

/**
 * Reserves the next instance id. Ids are sequential because existing clients assume a lost
 * create response received `id + 1`; the id is taken only once the provider accepted the code.
 */
export async function nextInstanceId(db: Database): Promise<number> {
  const result = (await db.execute(
    sql`select nextval(pg_get_serial_sequence('instances', 'id'))::int as id`,
  )) as unknown as { rows: { id: number }[] };
  const id = result.rows[0]?.id;
  if (typeof id !== 'number') throw new Error('instance id sequence returned nothing');
  return id;
}

export async function insertInstance(db: Database, row: NewInstanceRow): Promise<InstanceRow> {
  const [inserted] = await db.insert(instances).values(row).returning();
  if (!inserted) throw new Error('instance insert returned nothing');
  return inserted;
}

export async function findInstance(
  db: Database,
  organizationId: number,
  id: number,
): Promise<InstanceRow | undefined> {
  const [row] = await db
    .select()
    .from(instances)
    .where(and(eq(instances.organizationId, organizationId), eq(instances.id, id)));
  return row;
}

export async function findInstanceById(db: Database, id: number): Promise<InstanceRow | undefined> {
  const [row] = await db.select().from(instances).where(eq(instances.id, id));
  return row;
}

/** Ids of the instances whose configuration turns events on (`event.notification.enabled`). */
export async function listEventInstanceIds(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: instances.id })
    .from(instances)
    .where(
      and(
        sql`lower(${instances.configuration}->>'event.notification.enabled') = 'true'`,
        eq(instances.disabled, false),
      ),
    )
    .orderBy(asc(instances.id));
  return rows.map((r) => r.id);
}

/** Ids of an element's instances whose plain configuration entry `key` is `value`. */
export async function findInstanceIdsByConfiguration(
  db: Database,
  elementKey: string,
  key: string,
  value: string,
): Promise<number[]> {
  const rows = await db
    .select({ id: instances.id })
    .from(instances)
    .where(and(eq(instances.elementKey, elementKey), sql`${instances.configuration}->>${key} = ${value}`))
    .orderBy(asc(instances.id));
  return rows.map((r) => r.id);
}

export async function findInstanceByTokenHash(
  db: Database,
  tokenHash: string,
): Promise<InstanceRow | undefined> {
  const [row] = await db.select().from(instances).where(eq(instances.tokenHash, tokenHash));
  return row;
}

export async function listInstances(db: Database, organizationId: number): Promise<InstanceRow[]> {
  return db
    .select()
    .from(instances)
    .where(eq(instances.organizationId, organizationId))
    .orderBy(asc(instances.id));
}

export type InstanceChanges = Partial<
  Pick<
    InstanceRow,
    | 'name'
    | 'tags'
    | 'configuration'
    | 'secrets'
    | 'valid'
    | 'disabled'
    | 'elementKey'
    | 'cachingEnabled'
    | 'traceLoggingEnabled'
    | 'externalAuthentication'
  >
>;

/**
 * Updates an instance. `fence` is the `credentialsVersion` the caller read (the update is
 * skipped, returning undefined, if a refresh has replaced the tokens since), or `replace` for
 * a re-authentication, whose new grant supersedes any refresh and bumps the version.
 */
export async function updateInstance(
  db: Database,
  organizationId: number,
  id: number,
  changes: InstanceChanges,
  fence?: number | 'replace',
): Promise<InstanceRow | undefined> {
  const where = [eq(instances.organizationId, organizationId), eq(instances.id, id)];
  if (typeof fence === 'number') where.push(eq(instances.credentialsVersion, fence));
  const bump = fence === 'replace' ? { credentialsVersion: sql`${instances.credentialsVersion} + 1` } : {};
  const [row] = await db
    .update(instances)
    .set({ ...changes, ...bump, updatedDate: new Date() })
    .where(and(...where))
    .returning();
  return row;
}

/**
 * Deletes an instance. Its provider hooks, if it has any, are queued for removal in the same
 * transaction, with the credentials the row held: nothing else could remove them afterwards.
 */
export async function deleteInstance(
  db: Database,
  organizationId: number,
  id: number,
  now: Date,
): Promise<InstanceRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(instances)
      .where(and(eq(instances.organizationId, organizationId), eq(instances.id, id)))
      .returning();
    if (row) {
      const { elementKey, configuration, secrets, credentialsVersion } = row;
      await moveHooksToRemoval(tx, { instanceId: id, elementKey, configuration, secrets, credentialsVersion }, now);
    }
    return row;
  });
}
