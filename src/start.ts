import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { bootstrapOrganization, type Secrets } from './bootstrap.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Cipher } from './crypto/cipher.js';
import { loadKeyring } from './crypto/keys.js';
import { loadCatalog } from './elements/catalog.js';
import { discoveryRoutes } from './hub/discovery.js';
import { docsRoutes } from './docs/routes.js';
import { hubRoutes } from './hub/routes.js';
import { OperationMatcher } from './hub/match.js';
import { VendorClient } from './hub/vendor.js';
import { LocalGovernor } from './hub/governor.js';
import { SharedGovernor } from './hub/governor-shared.js';
import { ProviderCaller } from './hub/provider-call.js';
import { BASE_PATH, createServer, type App } from './http/server.js';
import { InstanceService } from './instances/service.js';
import { Credentials } from './oauth/credentials.js';
import { TokenRefresher } from './oauth/refresh.js';
import { every, sweepIdleRefreshes, type SweepResult } from './oauth/sweep.js';
import type { Services } from './platform/context.js';
import { elementRoutes } from './platform/elements.js';
import { hubCatalogRoutes } from './platform/hubs.js';
import { instanceRoutes } from './platform/instances.js';
import { openStore } from './store/open.js';
import { Metrics } from './metrics.js';

export const ELEMENTS_DIR = fileURLToPath(new URL('../elements', import.meta.url));

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface RunningHub {
  url: string;
  app: App;
  services: Services;
  /** Secrets generated on this start (first start only), to be shown once. */
  generatedSecrets: Secrets | undefined;
  /** Refreshes idle instances now (what the periodic sweep does). */
  sweepIdleRefreshes(): Promise<SweepResult>;
  close(): Promise<void>;
}

/** Starts a hub: store, catalog, services, HTTP server. Nothing happens before this call. */
export async function startHub(config: Config, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const keys = await loadKeyring(config.encryptionKey, config.previousEncryptionKeys, config.dataDir);
    const cipher = new Cipher(keys.current, keys.previous);
    const generatedSecrets = await bootstrapOrganization(store.db, config.dataDir, {
      ...(config.organizationSecret ? { organization: config.organizationSecret } : {}),
      ...(config.userSecret ? { user: config.userSecret } : {}),
    });
    const catalog = await loadCatalog(ELEMENTS_DIR, config.providerOrigins);
    const metrics = new Metrics();
    const instances = new InstanceService(store.db, catalog, cipher, new Credentials(clock), clock);
    const refresher = new TokenRefresher({
      store,
      catalog,
      cipher,
      clock,
      logger: logger.child({ component: 'refresh' }),
      publish: (instance) => instances.remember(instance),
    });
    const governor =
      store.kind === 'postgres' ? new SharedGovernor(store.db, clock) : new LocalGovernor(clock);
    const vendor = new VendorClient();
    const services: Services = {
      db: store.db,
      clock,
      catalog,
      auth: new Authenticator(store.db),
      instances,
      provider: new ProviderCaller(vendor, governor, refresher, clock, metrics, config.quotaScale),
      metrics,
      matcher: new OperationMatcher(),
    };
    const sweep = () => sweepIdleRefreshes(store.db, clock, refresher);

    const app = await createServer(logger, metrics);
    await docsRoutes(app, services);
    await app.register(
      async (api) => {
        const scoped = api as unknown as App;
        elementRoutes(scoped, services, ELEMENTS_DIR);
        hubCatalogRoutes(scoped, services);
        instanceRoutes(scoped, services);
        discoveryRoutes(scoped, services);
        hubRoutes(scoped, services);
      },
      { prefix: BASE_PATH },
    );
    const address = await app.listen({ port: config.port, host: config.host });
    const sweepLog = logger.child({ component: 'sweep' });
    const sweeper = every(
      config.refreshSweepSeconds * 1000,
      async () => sweepLog.info(await sweep(), 'idle refresh sweep'),
      (err) => sweepLog.error({ err }, 'idle refresh sweep failed'),
    );
    const close = async (): Promise<void> => {
      await sweeper.stop();
      await app.close();
      await vendor.close();
      await store.close();
    };
    return { url: address, app, services, generatedSecrets, sweepIdleRefreshes: sweep, close };
  } catch (err) {
    await store.close();
    throw err;
  }
}
