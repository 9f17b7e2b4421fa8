import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { App } from './server.js';

/** A dependency the hub cannot serve without; resolves when it answers, rejects otherwise. */
export type Probe = () => Promise<void>;

export interface HealthOptions {
  probes: Record<string, Probe>;
  clock: Clock;
  logger: Logger;
  /** A probe that has not answered by then counts as unreachable. */
  timeoutMs?: number;
}

type Check = { ok: true } | { ok: false; error: string };

/**
 * The operator endpoints, at the root rather than under the API prefix, and without
 * authentication, as orchestrators call them:
 *
 * - `GET /healthz`: the process is up and serving HTTP (liveness).
 * - `GET /readyz`: every probe answered (readiness); 503 names the ones that did not.
 *
 * These are status reports, not API errors, so both answers share one body shape.
 */
export function healthRoutes(app: App, options: HealthOptions): void {
  const log = options.logger.child({ component: 'health' });
  let wasReady = true;

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'up' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = await runProbes(options);
    const ready = Object.values(checks).every((check) => check.ok);
    // Logged on a change only: an orchestrator polls this every few seconds.
    if (ready !== wasReady) {
      if (ready) log.info('ready again');
      else log.warn({ checks }, 'not ready');
      wasReady = ready;
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}

async function runProbes(options: HealthOptions): Promise<Record<string, Check>> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const entries = Object.entries(options.probes).map(async ([name, probe]) => {
    return [name, await runProbe(probe, timeoutMs, options.clock)] as const;
  });
  return Object.fromEntries(await Promise.all(entries));
}

async function runProbe(probe: Probe, timeoutMs: number, clock: Clock): Promise<Check> {
  const timedOut = clock.sleep(timeoutMs).then((): Check => {
    return { ok: false, error: `no answer within ${timeoutMs} ms` };
  });
  const answered = probe().then(
    (): Check => ({ ok: true }),
    (err: unknown): Check => ({ ok: false, error: messageOf(err) }),
  );
  return Promise.race([answered, timedOut]);
}

/** The root cause's message: drizzle wraps a driver error in "Failed query: …". */
function messageOf(err: unknown): string {
  if (err instanceof Error && err.cause !== undefined) return messageOf(err.cause);
  if (err instanceof Error && err.message) return err.message;
  if (err instanceof AggregateError) return err.errors.map(messageOf).join('; ');
  return String(err);
}
