/**
 * The Keap sandbox as its own process for benchmarks, with quotas out of the way (what is
 * measured is Junction, not Keap's limits). Prints its origin when listening.
 *
 *   npx tsx bench/keap-sandbox.ts [hookDelayMs]
 */
import { startSandbox } from '../sandbox/src/server.js';

const hookDelayMs = Number(process.argv[2] ?? 1000);
const unlimited = { perSecond: 1_000_000, perMinute: 10_000_000, perDay: 100_000_000, tenantPerMinute: 10_000_000 };
const sandbox = await startSandbox({ port: 0, autoConsent: true, logger: false, quotaLimits: unlimited, hookDelayMs });
process.stdout.write(`${sandbox.url}\n`);
