import type { App } from '../http/server.js';
import type { Services } from '../platform/context.js';

/** TODO(#5): the inbound `/events/{elementKey}` API — remove when step (d) lands. */
export function inboundRoutes(_app: App, _services: Services): void {}
