import { eq } from 'drizzle-orm';
import type { Database } from './open.js';
import { organizations, users, type OrganizationRow, type UserRow } from './schema.js';

export interface Principal {
  organization: OrganizationRow;
  user: UserRow;
}

/** Whether the store has no organization yet (a first start). */
export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length === 0;
}

/** Creates the default organization and its first user, identified by secret hashes. */
export async function createDefaultOrganization(
  db: Database,
  hashes: { organization: string; user: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: 'Default Organization', secretHash: hashes.organization })
      .returning();
    if (!org) throw new Error('organization insert returned nothing');
    await tx.insert(users).values({
      organizationId: org.id,
      email: 'admin@junction.local',
      firstName: 'Junction',
      lastName: 'Administrator',
      secretHash: hashes.user,
    });
  });
}

/** Replaces the default organization's and user's secrets (configured secrets win). */
export async function setDefaultSecrets(
  db: Database,
  hashes: { organization?: string; user?: string },
): Promise<void> {
  const [org] = await db.select().from(organizations).orderBy(organizations.id).limit(1);
  if (!org) return;
  if (hashes.organization) {
    await db
      .update(organizations)
      .set({ secretHash: hashes.organization })
      .where(eq(organizations.id, org.id));
  }
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.organizationId, org.id))
    .orderBy(users.id)
    .limit(1);
  if (user && hashes.user) {
    await db.update(users).set({ secretHash: hashes.user }).where(eq(users.id, user.id));
  }
}

export async function findOrganizationBySecretHash(
  db: Database,
  hash: string,
): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.secretHash, hash));
  return row;
}

export async function findUserBySecretHash(db: Database, hash: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.secretHash, hash));
  return row;
}

export async function findUserById(db: Database, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}
