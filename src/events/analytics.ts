import type { FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import { countEvents, INTERVALS, type Interval } from '../store/analytics.js';
import { scopeIds } from './scope.js';

const DAY_MS = 86_400_000;

interface Range {
  from: Date;
  to: Date;
  interval: Interval;
}

/**
 * Event analytics (spec §6.6): counts of events per interval, with how many were delivered
 * (`success`) and how many failed (queued, or waiting for a retry). `/instances/events/analytics`
 * totals the caller's scope (the instance of an Element token, else the organization);
 * `/instances` splits it per instance; `/accounts` per account (Junction's account is the
 * organization, so the only account a caller may name is its own).
 */
export function analyticsRoutes(app: App, services: Services): void {
  const tags = ['events'];
  const base = '/instances/events/analytics';

  const summary = (what: string) => ({ schema: { tags, summary: `Count events per interval${what}` } });

  app.get(base, summary(''), async (request) => {
    const range = readRange(request, services.clock.now());
    const instanceIds = await scopeIds(services, request, undefined);
    const organizationId = await organizationOf(services, request);
    return countEvents(services.db, { organizationId, instanceIds, ...range, perInstance: false });
  });

  app.get(`${base}/instances`, summary(' and instance'), async (request) => {
    const range = readRange(request, services.clock.now());
    const instanceIds = await scopeIds(services, request, undefined);
    const organizationId = await organizationOf(services, request);
    return countEvents(services.db, { organizationId, instanceIds, ...range, perInstance: true });
  });

  app.get(`${base}/accounts`, summary(' and account'), async (request) => {
    const range = readRange(request, services.clock.now());
    const principal = await principalOf(services, request);
    const own = principal.organization.id;
    const foreign = listParam(request, 'accountIds').filter((id) => id !== String(own));
    if (foreign.length > 0) throw apiError('account.forbidden', { ids: foreign, own });
    const counts = await countEvents(services.db, { organizationId: own, ...range, perInstance: false });
    return counts.map((c) => ({ ...c, accountId: own }));
  });
}

/** The organization of the caller, whichever credentials it used. */
async function organizationOf(services: Services, request: FastifyRequest): Promise<number> {
  return (await principalOf(services, request)).organization.id;
}

/** `from` and `to` (ISO 8601 or epoch ms; default: the last 7 days) and `interval` (default day). */
function readRange(request: FastifyRequest, now: number): Range {
  const query = request.query as Record<string, unknown>;
  const to = readDate(query['to'], 'to') ?? new Date(now);
  const from = readDate(query['from'], 'from') ?? new Date(to.getTime() - 7 * DAY_MS);
  if (from > to) {
    throw invalid(`from (${from.toISOString()}) is after to (${to.toISOString()}); expected from <= to`);
  }
  const interval = query['interval'] ?? 'day';
  if (!INTERVALS.includes(interval as Interval)) {
    throw invalid(`interval '${String(interval)}' is not supported; expected one of ${INTERVALS.join(', ')}`);
  }
  return { from, to, interval: interval as Interval };
}

function readDate(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  const date = new Date(/^\d+$/.test(text) ? Number(text) : text);
  if (Number.isNaN(date.getTime())) {
    throw invalid(`${name} '${text}' is not a date; expected ISO 8601 (2026-05-05T09:00:00Z) or epoch milliseconds`);
  }
  return date;
}

/** A list given as `name[]=a&name[]=b`, `name=a&name=b` or `name=a,b`. */
function listParam(request: FastifyRequest, name: string): string[] {
  const query = request.query as Record<string, unknown>;
  const values = [query[`${name}[]`], query[name]].flat().filter((v) => v !== undefined);
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function invalid(detail: string) {
  return apiError('analytics.query-invalid', { detail });
}
