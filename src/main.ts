import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { SECRETS_FILE } from './bootstrap.js';
import { DataDirLockedError } from './store/lock.js';
import { startHub } from './start.js';

/** `npm start`: the hub alone, configured from the environment. */
async function main(): Promise<void> {
  const config = loadConfig();
  const hub = await startHub(config);
  if (hub.generatedSecrets) {
    const file = join(config.dataDir, SECRETS_FILE);
    process.stdout.write(
      `\nFirst start: created the default organization. Its secrets are shown once, and kept in ${file}:\n` +
        `  Authorization: User ${hub.generatedSecrets.user}, Organization ${hub.generatedSecrets.organization}\n\n`,
    );
  }
  const stop = async (): Promise<void> => {
    await hub.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`junction: ${err.message}\n`);
  } else {
    process.stderr.write(`junction: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
