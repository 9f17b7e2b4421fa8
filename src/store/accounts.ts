import { eq } from 'drizzle-orm';
import type { Database } from './open.js';
import { accountSettings } from './schema.js';

/** The settings stored for an account (an organization); keys not stored are not returned. */
export async function readAccountSettings(db: Database, organizationId: number): Promise<Record<string, string>> {
  const [row] = await db
    .select({ settings: accountSettings.settings })
    .from(accountSettings)
    .where(eq(accountSettings.organizationId, organizationId));
  return row?.settings ?? {};
}

/**
 * Merges `changes` into the account's settings: a string sets a key, null drops it (back to the
 * default), in one transaction with the row locked, so writers of different keys both win.
 */
export async function writeAccountSettings(
  db: Database,
  organizationId: number,
  changes: Record<string, string | null>,
  now: Date,
): Promise<Record<string, string>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ settings: accountSettings.settings })
      .from(accountSettings)
      .where(eq(accountSettings.organizationId, organizationId))
      .for('update');
    const settings = { ...(row?.settings ?? {}) };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete settings[key];
      else settings[key] = value;
    }
    await tx
      .insert(accountSettings)
      .values({ organizationId, settings, updatedDate: now })
      .onConflictDoUpdate({ target: accountSettings.organizationId, set: { settings, updatedDate: now } });
    return settings;
  });
}
