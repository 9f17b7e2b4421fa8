import { readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const KEY_FILE = 'encryption.key';

/** The key that seals new values and the keys that only open old ones. */
export interface Keyring {
  current: Buffer;
  previous: Buffer[];
}

/**
 * The data-encryption keys. The current key is `JUNCTION_ENCRYPTION_KEY` when set, otherwise
 * the first line of the key file in the data folder, generated on first start and readable by
 * the owner only. Previous keys (they open, never seal) are `JUNCTION_PREVIOUS_ENCRYPTION_KEYS`
 * and, when the key file is in use, its further lines (left there by `npm run rotate-key`).
 */
export async function loadKeyring(
  configured: string | undefined,
  previous: string[],
  dataDir: string,
): Promise<Keyring> {
  const fromEnv = previous.map((k) => Buffer.from(k, 'base64'));
  if (configured) return { current: Buffer.from(configured, 'base64'), previous: fromEnv };
  const lines = await readKeyFile(dataDir);
  const [first, ...rest] = lines ?? [randomBytes(32)];
  if (!lines) await writeKeyFile(dataDir, [first as Buffer], 'wx');
  return { current: first as Buffer, previous: [...rest, ...fromEnv] };
}

/** The keys in the data folder's key file, current first; undefined when there is none. */
export async function readKeyFile(dataDir: string): Promise<Buffer[] | undefined> {
  try {
    const text = await readFile(join(dataDir, KEY_FILE), 'utf8');
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => Buffer.from(line, 'base64'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}

/** Writes the key file (current key first); `replace` swaps it in atomically. */
export async function writeKeyFile(dataDir: string, keys: Buffer[], mode: 'wx' | 'replace'): Promise<void> {
  const text = keys.map((k) => k.toString('base64')).join('\n') + '\n';
  const path = join(dataDir, KEY_FILE);
  if (mode === 'wx') return writeFile(path, text, { mode: 0o600, flag: 'wx' });
  await writeFile(`${path}.next`, text, { mode: 0o600 });
  await rename(`${path}.next`, path);
}
