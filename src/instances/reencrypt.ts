import { Cipher } from '../crypto/cipher.js';
import { listInstanceIds, replaceSealed, withLockedInstance } from '../store/credentials.js';
import type { Store } from '../store/open.js';
import { listHookRemovals, replaceRemovalSecrets } from '../store/hook-removals.js';
import type { InstanceRow } from '../store/schema.js';
import { secretContext } from './model.js';

export interface ReencryptResult {
  instances: number;
  values: number;
}

/**
 * Re-seals every encrypted value (provider tokens, client secrets, instance tokens) that is
 * not under the cipher's current key. Each row is rewritten under the same lock a refresh
 * takes, so tokens a running hub obtains meanwhile are never overwritten with older ones.
 */
export async function reencryptAll(store: Pick<Store, 'db' | 'kind'>, cipher: Cipher): Promise<ReencryptResult> {
  const result: ReencryptResult = { instances: 0, values: 0 };
  for (const id of await listInstanceIds(store.db)) {
    const changed = await withLockedInstance(store, id, async (row, db) => {
      if (!row) return 0;
      const next = reseal(row, cipher);
      if (next.count > 0) await replaceSealed(db, id, next.secrets, next.tokenSecret);
      return next.count;
    });
    if (changed > 0) result.instances++;
    result.values += changed;
  }
  result.values += await resealRemovals(store, cipher);
  return result;
}

/** The credentials kept for removing a deleted instance's provider hooks. */
async function resealRemovals(store: Pick<Store, 'db'>, cipher: Cipher): Promise<number> {
  let count = 0;
  for (const removal of await listHookRemovals(store.db)) {
    const next = reseal({ id: removal.instanceId, secrets: removal.secrets, tokenSecret: undefined }, cipher);
    if (next.count === 0) continue;
    await replaceRemovalSecrets(store.db, removal.id, next.secrets);
    count += next.count;
  }
  return count;
}

function reseal<T extends string | undefined>(
  row: Pick<InstanceRow, 'id' | 'secrets'> & { tokenSecret: T },
  cipher: Cipher,
) {
  let count = 0;
  const again = (envelope: string, field: string): string => {
    if (Cipher.keyIdOf(envelope) === cipher.currentKeyId) return envelope;
    count++;
    const context = secretContext(row.id, field);
    return cipher.seal(cipher.open(envelope, context), context);
  };
  const secrets: Record<string, string> = {};
  for (const [key, envelope] of Object.entries(row.secrets)) secrets[key] = again(envelope, key);
  const tokenSecret = (row.tokenSecret === undefined ? undefined : again(row.tokenSecret, 'token')) as T;
  return { secrets, tokenSecret, count };
}
