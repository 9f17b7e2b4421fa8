import { randomBytes } from 'node:crypto';
import { Cipher } from '../src/crypto/cipher.js';
import { readKeyFile, writeKeyFile, type Keyring } from '../src/crypto/keys.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { reencryptAll } from '../src/instances/reencrypt.js';
import { DataDirLockedError } from '../src/store/lock.js';
import { openStore } from '../src/store/open.js';

/**
 * `npm run rotate-key`: re-seals every encrypted value under the current key.
 *
 * - With `JUNCTION_ENCRYPTION_KEY` set, that key is the new one and the old keys come from
 *   `JUNCTION_PREVIOUS_ENCRYPTION_KEYS`; hubs keep serving throughout (see the README).
 * - With the key file of the data folder, a new key is generated and written first (old keys
 *   kept after it, so a crash never strands a value), then everything is re-sealed; on the
 *   embedded store the old keys are then dropped from the file.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const keyring = await rotationKeyring(config);
    const cipher = new Cipher(keyring.current, keyring.previous);
    const result = await reencryptAll(store, cipher);
    if (!config.encryptionKey && store.kind === 'embedded') {
      await writeKeyFile(config.dataDir, [keyring.current], 'replace');
    }
    report(`re-sealed ${result.values} values in ${result.instances} instances under key ${cipher.currentKeyId}`);
    if (!config.encryptionKey && store.kind !== 'embedded') {
      report('the key file still lists the previous keys: other processes may need them');
    }
  } finally {
    await store.close();
  }
}

async function rotationKeyring(config: Config): Promise<Keyring> {
  const fromFile = (await readKeyFile(config.dataDir)) ?? [];
  const previous = config.previousEncryptionKeys.map((k) => Buffer.from(k, 'base64'));
  if (config.encryptionKey) {
    return { current: Buffer.from(config.encryptionKey, 'base64'), previous: [...previous, ...fromFile] };
  }
  if (fromFile.length === 0) throw new ConfigError(`no key file in ${config.dataDir} and no JUNCTION_ENCRYPTION_KEY`);
  const current = randomBytes(32);
  await writeKeyFile(config.dataDir, [current, ...fromFile], 'replace');
  return { current, previous: [...fromFile, ...previous] };
}

function report(line: string): void {
  process.stdout.write(`rotate-key: ${line}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    process.stderr.write(
      `rotate-key: ${err.message}\nThe embedded store belongs to one process: stop the hub, rotate, start it again.\n`,
    );
  } else if (err instanceof ConfigError) {
    process.stderr.write(`rotate-key: ${err.message}\n`);
  } else {
    process.stderr.write(`rotate-key: failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
