/** `npm run sandbox`: starts the Keap sandbox from environment configuration. */
import { readConfig } from './config.js';
import { startSandbox } from './server.js';

async function main(): Promise<void> {
  const sandbox = await startSandbox(readConfig());
  process.stdout.write(`Keap sandbox listening on ${sandbox.url}\n`);

  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
