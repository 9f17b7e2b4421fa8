import { ApiError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import { storeEvents, type EventDraft } from '../store/events.js';
import type { Database } from '../store/open.js';
import type { Clock } from '../clock.js';
import { callHub } from './hub-call.js';
import { CHUNK, eventDrafts, pollingRaw, type Change, type NotificationContext } from './notification.js';
import { defaultPoller, pollerFor, valueAt } from './poller-config.js';
import { changeOf, readDate, type PolledChange } from './poller.js';

export interface WebhookDeps {
  db: Database;
  clock: Clock;
  matcher: Parameters<typeof callHub>[0]['matcher'];
  provider: Parameters<typeof callHub>[0]['provider'];
}

/** Provider fetches one batch has in flight at once; the provider's quota still paces them. */
const CONFIRMS_AT_ONCE = 32;

interface Confirmed extends Change {
  changedAt: string;
}

/**
 * Turns one inbound batch into events. Provider hooks carry ids only and anyone can post to
 * `/events/{key}`, so every object is fetched as the instance to confirm it: a created or
 * updated object must exist, a deleted one must be gone. The object's modification date keys
 * the change, so a batch sent twice (Keap retries) yields no second event.
 */
export async function processBatch(deps: WebhookDeps, instance: Instance, body: unknown): Promise<number> {
  const hooks = instance.element.provider.hooks;
  if (!hooks) return 0;
  const eventKey = valueAt(body, hooks.payload.eventKey);
  const mapping = instance.element.events.webhooks.find((w) => w.eventKey === eventKey);
  const objects = valueAt(body, hooks.payload.objects);
  if (!mapping || !Array.isArray(objects)) return 0;

  // A batch holds up to a thousand objects: they are fetched a few at a time, not one by one,
  // and kept in the batch's order.
  // TODO(#6): confirm a batch with list calls (ids or a `since` window) rather than one GET per
  // object — remove when PostgreSQL webhook delivery reaches 1,000 changes/s end-to-end.
  const answers = await mapConcurrently(objects, CONFIRMS_AT_ONCE, async (object) => {
    const id = valueAt(object, hooks.payload.objectId);
    if (id === undefined || id === null) return undefined;
    const timestamp = String(valueAt(object, hooks.payload.timestamp) ?? '');
    return confirm(deps, instance, mapping.resource, String(id), mapping.eventType, timestamp);
  });
  const confirmed = answers.filter((change): change is Confirmed => change !== undefined);
  const owner = { ...ownerOf(instance), source: 'webhook' as const };
  const context = contextOf(instance);
  const drafts = await storeEvents(deps.db, owner, confirmed, (fresh) => drafted(fresh, context, body), new Date(deps.clock.now()));
  return drafts.length;
}

/**
 * Poller-shaped records posted to `/events/{elementKey}Polling/{encoded id}` (spec §6.1):
 * `{"<resource>": [records…], "objectType": "<resource>"}`. Anyone can post there too, so each
 * record is fetched as the instance and the provider's copy, not the posted one, becomes the
 * event, classified by its dates as a poll would; a record the provider does not have yields
 * none. An unchanged record yields no second event.
 */
export async function processPolledRecords(deps: WebhookDeps, instance: Instance, body: unknown): Promise<number> {
  const resource = valueAt(body, 'objectType');
  if (typeof resource !== 'string') return 0;
  const records = valueAt(body, resource);
  const poller = pollerFor(instance.element, instance.configuration, resource);
  if (!poller || !Array.isArray(records)) return 0;

  const changes: PolledChange[] = [];
  for (const posted of records) {
    const id = valueAt(posted, poller.idField);
    if (id === undefined || id === null) continue;
    const record = await fetchRecord(deps, instance, poller.resource, String(id));
    const change = record === undefined ? undefined : changeOf(poller, record, deps.clock.now());
    if (change) changes.push(change);
  }
  const owner = { ...ownerOf(instance), source: 'polling' as const };
  const context = contextOf(instance);
  const draft = (fresh: PolledChange[]) => {
    if (fresh.length === 0) return [];
    return eventDrafts(fresh, CHUNK.polling, context, pollingRaw(poller.resource, fresh.map((c) => c.record)));
  };
  const drafts = await storeEvents(deps.db, owner, changes, draft, new Date(deps.clock.now()));
  return drafts.length;
}

function ownerOf(instance: Instance) {
  return { instanceId: instance.id, organizationId: instance.organizationId, elementKey: instance.element.key };
}

function contextOf(instance: Instance): NotificationContext {
  return {
    instanceId: instance.id,
    elementKey: instance.element.key,
    hubKey: instance.element.hub,
    userId: instance.userId,
    organizationId: instance.organizationId,
  };
}

async function confirm(
  deps: WebhookDeps,
  instance: Instance,
  resource: string,
  id: string,
  eventType: Change['eventType'],
  timestamp: string,
): Promise<Confirmed | undefined> {
  const record = await fetchRecord(deps, instance, resource, id);
  if (eventType === 'DELETED') {
    if (record !== undefined) return undefined;
    return { objectType: resource, objectId: id, eventType, date: isoOr(timestamp, deps), changedAt: `deleted:${timestamp}` };
  }
  if (record === undefined) return undefined;
  const dates = defaultPoller(instance.element, resource);
  const updated = readDate(record, dates?.updated);
  const changedAt = updated !== undefined ? new Date(updated).toISOString() : `${eventType}:${timestamp}`;
  const date = updated !== undefined ? new Date(updated).toISOString() : isoOr(timestamp, deps);
  return { objectType: resource, objectId: id, eventType, date, changedAt };
}

/** The record, or undefined when the provider says it does not exist. */
async function fetchRecord(deps: WebhookDeps, instance: Instance, resource: string, id: string): Promise<unknown> {
  try {
    const answer = await callHub(deps, instance, 'GET', `/hubs/${instance.element.hub}/${resource}/${encodeURIComponent(id)}`);
    return answer.body;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

function isoOr(timestamp: string, deps: WebhookDeps): string {
  const parsed = Date.parse(timestamp);
  return new Date(Number.isFinite(parsed) ? parsed : deps.clock.now()).toISOString();
}

/** Notifications of at most 20 events, each repeating the provider's whole batch as `raw`. */
function drafted(fresh: Confirmed[], context: NotificationContext, raw: unknown): EventDraft[] {
  return eventDrafts(fresh, CHUNK.webhook, context, raw);
}

/** `work` over `items` with at most `limit` at once; results in the order of `items`. */
async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i] as T);
      } catch (err) {
        failed = true; // the others stop taking items; the first error is the batch's
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
