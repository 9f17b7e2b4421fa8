import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { SECRETS_FILE } from './bootstrap.js';
import { DataDirLockedError } from './store/lock.js';
import { startHub, type RunningHub } from './start.js';

/** `npm start`: the hub alone, configured from the environment. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The hub listens before start-up ends (the event queues need the address first), so a signal
  // that comes in between is held until it can stop gracefully; a second one exits at once.
  let stop: ((signal: NodeJS.Signals) => void) | undefined;
  let early: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop) stop(signal);
    else if (early) process.exit(1);
    else early = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const hub = await startHub(config);
  if (hub.generatedSecrets) {
    const file = join(config.dataDir, SECRETS_FILE);
    process.stdout.write(
      `\nFirst start: created the default organization. Its secrets are shown once, and kept in ${file}:\n` +
        `  Authorization: User ${hub.generatedSecrets.user}, Organization ${hub.generatedSecrets.organization}\n\n`,
    );
  }
  stop = stopper(hub, config.shutdownMs);
  if (early) stop(early);
}

/**
 * SIGTERM or SIGINT stops the hub gracefully: no new requests, in-flight requests and jobs
 * finish within the shutdown bound (once for requests, once for jobs). A second signal, or a
 * close that outlives both bounds, exits at once.
 */
function stopper(hub: RunningHub, shutdownMs: number): (signal: NodeJS.Signals) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) process.exit(1);
    stopping = true;
    hub.app.log.info({ signal, shutdownMs }, 'shutting down');
    // unref: a close that finishes in time must not wait for this timer to exit.
    setTimeout(() => {
      hub.app.log.error({ signal }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, 2 * shutdownMs + 5_000).unref();
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        hub.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`junction: ${err.message}\n`);
  } else {
    process.stderr.write(`junction: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
