import type { ConsoleContext } from './context.js';
import { oauthRoutes } from './oauth.js';
import { proxyRoutes } from './proxy.js';
import { signInRoutes } from './sign-in.js';
import { staticRoutes } from './static.js';

/**
 * The console's server side: sign-in and sessions, the API proxy, provider sign-ins and the
 * built pages. The pages talk to the hub only through `/console/api/*` (the public API).
 */
export async function consoleRoutes(context: ConsoleContext): Promise<void> {
  signInRoutes(context);
  oauthRoutes(context);
  await proxyRoutes(context);
  await staticRoutes(context);
}
