import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance } from '../instances/model.js';
import { claimPoll, dropPollStates, ensurePollState, releasePoll, storeEvents, type EventDraft } from '../store/events.js';
import type { Database } from '../store/open.js';
import type { PollStateRow } from '../store/schema.js';
import { chunk, CHUNK, eventDrafts, pollingRaw, type NotificationContext } from './notification.js';
import { readPollerConfig, type ResourcePoller } from './poller-config.js';
import { sweep, type PolledChange } from './poller.js';
import { readEventSettings } from './settings.js';

export interface PollingDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  matcher: OperationMatcher;
  provider: ProviderCaller;
}

/** A sweep may run this long before another process may take the resource over. */
const LEASE_MS = 10 * 60_000;

/**
 * Runs the sweeps of an instance that are due. Each resource is claimed first, so two
 * processes never sweep it at once, and its events and new watermark are stored together.
 */
export async function pollInstance(deps: PollingDeps, instance: Instance): Promise<number> {
  const settings = readEventSettings(instance.element, instance.configuration);
  const log = deps.log.child({ instanceId: instance.id, elementKey: instance.element.key });
  let pollers: ResourcePoller[];
  try {
    pollers = readPollerConfig(instance.element, instance.configuration);
  } catch (err) {
    log.warn({ err }, 'poller configuration unusable');
    return 0;
  }
  const states = await dropPollStates(deps.db, instance.id, pollers.map((p) => p.resource));
  let stored = 0;
  for (const poller of pollers) {
    const now = deps.clock.now();
    const known = states.find((s) => s.resource === poller.resource);
    if (!known) await ensurePollState(deps.db, instance.id, poller.resource, instance.createdDate, new Date(now));
    // What was just read decides whether a claim is worth a round trip; the claim still decides.
    else if (!mayClaim(known, now)) continue;
    const state = await claimPoll(deps.db, instance.id, poller.resource, new Date(now), new Date(now + LEASE_MS));
    if (!state) continue;
    const nextPollAt = new Date(nextPoll(state.nextPollAt.getTime(), now, settings.refreshInterval * 60_000));
    stored += await sweepResource(deps, instance, poller, state.watermark.getTime(), nextPollAt, log);
  }
  return stored;
}

/**
 * The next sweep is due one interval after this one was due, not after it started, so a
 * sweep that waited for its turn does not push every later one back; a resource that fell
 * more than an interval behind (a hub that was down) starts counting again from now.
 */
function nextPoll(due: number, now: number, interval: number): number {
  const next = due + interval;
  return next > now ? next : now + interval;
}

function mayClaim(state: PollStateRow, now: number): boolean {
  return state.nextPollAt.getTime() <= now && (state.lockedUntil === null || state.lockedUntil.getTime() < now);
}

async function sweepResource(
  deps: PollingDeps,
  instance: Instance,
  poller: ResourcePoller,
  watermark: number,
  nextPollAt: Date,
  log: Logger,
): Promise<number> {
  const startedAt = deps.clock.now();
  const resourceLog = log.child({ resource: poller.resource });
  try {
    const result = await sweep(deps, instance, poller, watermark, startedAt);
    const context: NotificationContext = {
      instanceId: instance.id,
      elementKey: instance.element.key,
      hubKey: instance.element.hub,
      userId: instance.userId,
      organizationId: instance.organizationId,
      pollDate: new Date(startedAt).toISOString(),
    };
    const owner = { instanceId: instance.id, organizationId: instance.organizationId, elementKey: instance.element.key, source: 'polling' as const };
    const moved = result.watermark !== undefined && result.watermark > watermark;
    const release = {
      ...(moved ? { watermark: new Date(result.watermark as number) } : {}),
      nextPollAt,
      lastError: null,
    };
    if (result.changes.length === 0) {
      // Nothing to store, so no transaction: most sweeps find nothing.
      await releasePoll(deps.db, instance.id, poller.resource, release);
      return 0;
    }
    const drafts = await storeEvents(deps.db, owner, result.changes, (fresh) => draftsFor(poller.resource, fresh, context, poller.pageSize), new Date(deps.clock.now()), async (tx) => {
      await releasePoll(tx, instance.id, poller.resource, release);
    });
    resourceLog.debug({ seen: result.changes.length, events: drafts.length }, 'poll swept');
    return drafts.length;
  } catch (err) {
    await releasePoll(deps.db, instance.id, poller.resource, { nextPollAt, lastError: (err as Error).message });
    resourceLog.warn({ err }, 'poll failed');
    return 0;
  }
}

/**
 * New changes in notifications of at most 10, each repeating the raw records of its page of
 * the poll. A page, not the whole sweep, is the batch: repeating a sweep of N records in each
 * of its N/10 notifications grows as N²: several GB of bodies at 10,000 changes.
 */
function draftsFor(resource: string, fresh: PolledChange[], context: NotificationContext, pageSize: number): EventDraft[] {
  return chunk(fresh, pageSize).flatMap((page) =>
    eventDrafts(page, CHUNK.polling, context, pollingRaw(resource, page.map((c) => c.record))),
  );
}
