import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { bootstrapOrganization, type Secrets } from './bootstrap.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Cipher } from './crypto/cipher.js';
import { loadEncryptionKey } from './crypto/keys.js';
import { loadCatalog } from './elements/catalog.js';
import { discoveryRoutes } from './hub/discovery.js';
import { docsRoutes } from './docs/routes.js';
import { hubRoutes } from './hub/routes.js';
import { OperationMatcher } from './hub/match.js';
import { VendorClient } from './hub/vendor.js';
import { QuotaGovernor } from './hub/governor.js';
import { ProviderCaller } from './hub/provider-call.js';
import { BASE_PATH, createServer, type App } from './http/server.js';
import { InstanceService } from './instances/service.js';
import { Credentials } from './oauth/credentials.js';
import type { Services } from './platform/context.js';
import { EventService } from './events/service.js';
import { eventRoutes } from './events/routes.js';
import { elementRoutes } from './platform/elements.js';
import { hubCatalogRoutes } from './platform/hubs.js';
import { configurationRoutes } from './platform/configuration.js';
import { instanceRoutes } from './platform/instances.js';
import { openStore } from './store/open.js';

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
  close(): Promise<void>;
}

/** Starts a hub: store, catalog, services, HTTP server. Nothing happens before this call. */
export async function startHub(config: Config, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const cipher = new Cipher(await loadEncryptionKey(config.encryptionKey, config.dataDir));
    const generatedSecrets = await bootstrapOrganization(store.db, config.dataDir, {
      ...(config.organizationSecret ? { organization: config.organizationSecret } : {}),
      ...(config.userSecret ? { user: config.userSecret } : {}),
    });
    const catalog = await loadCatalog(ELEMENTS_DIR, config.providerOrigins);
    const credentials = new Credentials(clock);
    const vendor = new VendorClient();
    const instances = new InstanceService(store.db, catalog, cipher, credentials, clock);
    const provider = new ProviderCaller(vendor, new QuotaGovernor(clock), clock);
    const matcher = new OperationMatcher();
    const events = new EventService({
      db: store.db, clock, log: logger, instances, matcher, provider, options: config.events,
    });
    const services: Services = {
      db: store.db,
      clock,
      catalog,
      auth: new Authenticator(store.db),
      instances,
      provider,
      matcher,
      events,
    };

    const app = await createServer(logger);
    await docsRoutes(app, services);
    await app.register(
      async (api) => {
        const scoped = api as unknown as App;
        elementRoutes(scoped, services, ELEMENTS_DIR);
        hubCatalogRoutes(scoped, services);
        instanceRoutes(scoped, services);
        configurationRoutes(scoped, services);
        discoveryRoutes(scoped, services);
        eventRoutes(scoped, services);
        hubRoutes(scoped, services);
      },
      { prefix: BASE_PATH },
    );
    const address = await app.listen({ port: config.port, host: config.host });
    events.start(config.publicUrl ?? address);
    const close = async (): Promise<void> => {
      await events.stop();
      await app.close();
      await vendor.close();
      await store.close();
    };
    return { url: address, app, services, generatedSecrets, close };
  } catch (err) {
    await store.close();
    throw err;
  }
}
