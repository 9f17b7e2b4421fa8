import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { bootstrapOrganization, type Secrets } from './bootstrap.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Cipher } from './crypto/cipher.js';
import { loadEncryptionKey } from './crypto/keys.js';
import { loadCatalog } from './elements/catalog.js';
import { hubRoutes } from './hub/routes.js';
import { OperationMatcher } from './hub/match.js';
import { VendorClient } from './hub/vendor.js';
import { QuotaGovernor } from './hub/governor.js';
import { ProviderCaller } from './hub/provider-call.js';
import { healthRoutes } from './http/health.js';
import { BASE_PATH, createServer, type App } from './http/server.js';
import { InstanceService } from './instances/service.js';
import { startJobs, type Jobs } from './jobs/jobs.js';
import { Credentials } from './oauth/credentials.js';
import type { Services } from './platform/context.js';
import { elementRoutes } from './platform/elements.js';
import { hubCatalogRoutes } from './platform/hubs.js';
import { instanceRoutes } from './platform/instances.js';
import { openStore, type Store } from './store/open.js';

export const ELEMENTS_DIR = fileURLToPath(new URL('../elements', import.meta.url));

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface RunningHub {
  url: string;
  app: App;
  services: Services;
  jobs: Jobs;
  /** Secrets generated on this start (first start only), to be shown once. */
  generatedSecrets: Secrets | undefined;
  /**
   * Stops the hub: refuses new requests and lets in-flight ones finish, then stops taking jobs
   * and lets running ones finish (each within `config.shutdownMs`), then closes the store.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Starts a hub: store, job queue, catalog, services, HTTP server. Nothing happens before this
 * call.
 */
export async function startHub(config: Config, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  let jobs: Jobs | undefined;
  try {
    jobs = await startJobs({ connection: store.connection, logger, clock, shutdownMs: config.shutdownMs });
    const cipher = new Cipher(await loadEncryptionKey(config.encryptionKey, config.dataDir));
    const generatedSecrets = await bootstrapOrganization(store.db, config.dataDir, {
      ...(config.organizationSecret ? { organization: config.organizationSecret } : {}),
      ...(config.userSecret ? { user: config.userSecret } : {}),
    });
    const catalog = await loadCatalog(ELEMENTS_DIR, config.providerOrigins);
    const credentials = new Credentials(clock);
    const vendor = new VendorClient();
    const services: Services = {
      db: store.db,
      clock,
      catalog,
      jobs,
      auth: new Authenticator(store.db),
      instances: new InstanceService(store.db, catalog, cipher, credentials, clock),
      provider: new ProviderCaller(vendor, new QuotaGovernor(clock), clock),
      matcher: new OperationMatcher(),
    };

    const app = await createServer(logger);
    const queue = jobs;
    healthRoutes(app, {
      probes: { store: () => pingStore(store), queue: () => queue.ping() },
      clock,
      logger,
    });
    await app.register(
      async (api) => {
        const scoped = api as unknown as App;
        elementRoutes(scoped, services, ELEMENTS_DIR);
        hubCatalogRoutes(scoped, services);
        instanceRoutes(scoped, services);
        hubRoutes(scoped, services);
      },
      { prefix: BASE_PATH },
    );
    const address = await app.listen({ port: config.port, host: config.host });
    let closing: Promise<void> | undefined;
    const shutDown = async (): Promise<void> => {
      // Requests may still queue jobs, so the queue stops after the last request is answered;
      // jobs may still call providers, so the provider client closes after the last job.
      await closeHttp(app, clock, config.shutdownMs, logger);
      await queue.stop();
      await vendor.close();
      await store.close();
    };
    const close = (): Promise<void> => (closing ??= shutDown());
    return { url: address, app, services, jobs, generatedSecrets, close };
  } catch (err) {
    await jobs?.stop();
    await store.close();
    throw err;
  }
}

/** Stops listening and waits for in-flight requests, then cuts the ones still running. */
async function closeHttp(app: App, clock: Clock, boundMs: number, logger: Logger): Promise<void> {
  const closed = app.close().then(() => true);
  const finished = await Promise.race([closed, clock.sleep(boundMs).then(() => false)]);
  if (finished) return;
  logger.warn({ boundMs }, 'requests still running at the shutdown bound; closing their connections');
  app.server.closeAllConnections();
  await closed;
}

async function pingStore(store: Store): Promise<void> {
  await store.db.execute(sql`select 1`);
}
