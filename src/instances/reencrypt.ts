import { Cipher } from '../crypto/cipher.js';
import { listInstanceIds, replaceSealed, withLockedInstance } from '../store/credentials.js';
import type { Store } from '../store/open.js';
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
  return result;
}

function reseal(row: InstanceRow, cipher: Cipher) {
  let count = 0;
  const again = (envelope: string, field: string): string => {
    if (Cipher.keyIdOf(envelope) === cipher.currentKeyId) return envelope;
    count++;
    const context = secretContext(row.id, field);
    return cipher.seal(cipher.open(envelope, context), context);
  };
  const secrets: Record<string, string> = {};
  for (const [key, envelope] of Object.entries(row.secrets)) secrets[key] = again(envelope, key);
  const tokenSecret = again(row.tokenSecret, 'token');
  return { secrets, tokenSecret, count };
}
