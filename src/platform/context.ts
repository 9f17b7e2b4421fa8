import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticate.js';
import type { Clock } from '../clock.js';
import type { Catalog } from '../elements/catalog.js';
import type { EventService } from '../events/service.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { InstanceService } from '../instances/service.js';
import type { Metrics } from '../metrics.js';
import type { Jobs } from '../jobs/jobs.js';
import type { Mailer } from '../notifications/mail.js';
import type { Database } from '../store/open.js';
import type { Principal } from '../store/organizations.js';

/** The services route modules work with; built once in `start.ts`. */
export interface Services {
  db: Database;
  clock: Clock;
  catalog: Catalog;
  /** Background work: define queues with handlers, send and schedule jobs. */
  jobs: Jobs;
  auth: Authenticator;
  instances: InstanceService;
  provider: ProviderCaller;
  matcher: OperationMatcher;
  metrics: Metrics;
  events: EventService;
  /** The SMTP transport (`JUNCTION_SMTP_URL`); undefined when none is configured. */
  mailer: Mailer | undefined;
}

/** Authenticates a platform call (`User` + `Organization`). */
export function principalOf(services: Services, request: FastifyRequest): Promise<Principal> {
  const credentials = services.auth.credentials(request);
  return services.auth.platform(credentials, request.headers.authorization !== undefined);
}
