import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { bootstrapOrganization, type Secrets } from './bootstrap.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Cipher } from './crypto/cipher.js';
import { loadKeyring } from './crypto/keys.js';
import { consoleRoutes } from './console/routes.js';
import { SessionStore } from './console/sessions.js';
import { loadCatalog } from './elements/catalog.js';
import { discoveryRoutes } from './hub/discovery.js';
import { docsRoutes } from './docs/routes.js';
import { hubRoutes } from './hub/routes.js';
import { OperationMatcher } from './hub/match.js';
import { VendorClient } from './hub/vendor.js';
import { LocalGovernor } from './hub/governor.js';
import { SharedGovernor } from './hub/governor-shared.js';
import { ProviderCaller } from './hub/provider-call.js';
import { healthRoutes } from './http/health.js';
import { BASE_PATH, createServer, type App } from './http/server.js';
import { InstanceService } from './instances/service.js';
import { startJobs, type Jobs } from './jobs/jobs.js';
import { Credentials } from './oauth/credentials.js';
import { TokenRefresher } from './oauth/refresh.js';
import { sweepIdleRefreshes, type SweepResult } from './oauth/sweep.js';
import type { Services } from './platform/context.js';
import { EventService } from './events/service.js';
import { eventRoutes } from './events/routes.js';
import { instanceInvalidEvents } from './events/instance-invalid.js';
import { elementRoutes } from './platform/elements.js';
import { hubCatalogRoutes } from './platform/hubs.js';
import { configurationRoutes } from './platform/configuration.js';
import { instanceRoutes } from './platform/instances.js';
import { accountRoutes } from './platform/accounts.js';
import { InstanceNotices } from './store/notices.js';
import { notificationRoutes } from './notifications/routes.js';
import { subscriptionRoutes } from './notifications/subscription-routes.js';
import { Mailer } from './notifications/mail.js';
import { openStore, type Store } from './store/open.js';
import { Metrics } from './metrics.js';

const IDLE_REFRESH_JOB = 'tokens.refresh-idle';

export const ELEMENTS_DIR = fileURLToPath(new URL('../elements', import.meta.url));
export const CONSOLE_DIR = fileURLToPath(new URL('../console/dist', import.meta.url));

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
  /** Refreshes idle instances now (what the hourly job does). */
  sweepIdleRefreshes(): Promise<SweepResult>;
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
  let notices: InstanceNotices | undefined;
  try {
    jobs = await startJobs({ connection: store.connection, logger, clock, shutdownMs: config.shutdownMs });
    const keys = await loadKeyring(config.encryptionKey, config.previousEncryptionKeys, config.dataDir);
    const cipher = new Cipher(keys.current, keys.previous);
    const generatedSecrets = await bootstrapOrganization(store.db, config.dataDir, {
      ...(config.organizationSecret ? { organization: config.organizationSecret } : {}),
      ...(config.userSecret ? { user: config.userSecret } : {}),
    });
    const catalog = await loadCatalog(ELEMENTS_DIR, config.providerOrigins);
    const metrics = new Metrics();
    const queueForMetrics = jobs;
    metrics.queueDepths = () => queueForMetrics.depths();
    const instances = new InstanceService(store.db, catalog, cipher, new Credentials(clock), clock);
    const refresher = new TokenRefresher({
      store,
      catalog,
      cipher,
      clock,
      logger: logger.child({ component: 'refresh' }),
      publish: (instance) => instances.remember(instance),
      count: (element, outcome) => metrics.tokenRefreshes.inc({ element, outcome }),
      invalidated: instanceInvalidEvents(clock),
    });
    notices = await InstanceNotices.start(store.db, store.connection, {
      changed: (id) => {
        instances.evict(id);
        refresher.forget(id);
      },
      missed: () => instances.evictAll(),
    });
    const announce = notices;
    instances.onChange(({ before, after }) => {
      const id = (after ?? before)?.id;
      if (id === undefined) return;
      announce.publish(id).catch((err: unknown) => {
        logger.warn({ err, instanceId: id }, 'could not announce an instance change to other processes');
      });
    });
    const governor =
      store.kind === 'postgres' ? new SharedGovernor(store.db, clock) : new LocalGovernor(clock);
    const vendor = new VendorClient();
    const provider = new ProviderCaller(vendor, governor, refresher, clock, metrics, config.quotaScale);
    const matcher = new OperationMatcher();
    const mailer = config.mail ? new Mailer(config.mail, config.events.timeoutMs) : undefined;
    const events = new EventService({
      db: store.db, clock, log: logger, instances, matcher, provider, options: config.events, jobs, mailer,
    });
    const services: Services = {
      db: store.db,
      clock,
      catalog,
      jobs,
      auth: new Authenticator(store.db),
      instances,
      provider,
      matcher,
      metrics,
      events,
      mailer,
    };
    const sweep = () => sweepIdleRefreshes(store.db, clock, refresher);

    const app = await createServer(logger, metrics);
    await docsRoutes(app, services);
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
        configurationRoutes(scoped, services);
        discoveryRoutes(scoped, services);
        eventRoutes(scoped, services);
        accountRoutes(scoped, services);
        notificationRoutes(scoped, services);
        subscriptionRoutes(scoped, services);
        hubRoutes(scoped, services);
      },
      { prefix: BASE_PATH },
    );
    await consoleRoutes({
      app,
      services,
      sessions: new SessionStore(clock),
      publicUrl: config.publicUrl,
      providerApps: config.providerApps,
      distDir: CONSOLE_DIR,
    });
    const address = await app.listen({ port: config.port, host: config.host });
    await events.start(config.publicUrl ?? address);
    // Idle instances are refreshed before their refresh token can lapse: once an hour, once
    // across all processes.
    await queue.define(IDLE_REFRESH_JOB, async () => {
      logger.info(await sweep(), 'idle refresh sweep');
    });
    await queue.schedule(IDLE_REFRESH_JOB, '0 * * * *');
    let closing: Promise<void> | undefined;
    const shutDown = async (): Promise<void> => {
      // Requests may still queue jobs, so the queue stops after the last request is answered;
      // jobs may still call providers, so the provider client closes after the last job.
      await closeHttp(app, clock, config.shutdownMs, logger);
      events.stop();
      await queue.stop();
      await vendor.close();
      mailer?.close();
      await announce.close();
      await store.close();
    };
    const close = (): Promise<void> => (closing ??= shutDown());
    return { url: address, app, services, jobs, generatedSecrets, sweepIdleRefreshes: sweep, close };
  } catch (err) {
    await jobs?.stop();
    await notices?.close();
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
