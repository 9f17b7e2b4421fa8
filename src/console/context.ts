import type { ProviderApp } from '../config.js';
import type { App } from '../http/server.js';
import type { Services } from '../platform/context.js';
import type { SessionStore } from './sessions.js';

/** What the console's server side works with; built once in `start.ts`. */
export interface ConsoleContext {
  app: App;
  services: Services;
  sessions: SessionStore;
  /** See `Config.publicUrl`. */
  publicUrl: string | undefined;
  /** OAuth apps by provider name (`keap`), from `JUNCTION_<PROVIDER>_CLIENT_ID`/`_SECRET`. */
  providerApps: Record<string, ProviderApp>;
  /** The built single-page app (`console/dist`). */
  distDir: string;
}

/** Where the provider sends the browser back after a sign-in started from the console. */
export const CALLBACK_PATH = '/elements/api-v2/console/oauth/callback';
