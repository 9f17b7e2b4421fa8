import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance, InstanceSnapshot } from '../instances/model.js';
import {
  claimHookRemoval,
  finishHookRemoval,
  retryHookRemoval,
} from '../store/hook-removals.js';
import type { Database } from '../store/open.js';
import type { HookRemovalRow } from '../store/schema.js';

export interface RemovalDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  provider: ProviderCaller;
  /** The live instance, whose tokens may be newer than the snapshot's. */
  openInstance(id: number): Promise<Instance | undefined>;
  openSnapshot(snapshot: InstanceSnapshot): Instance;
}

/** Tries per removal before its hooks are given up on (about a day of backoff). */
const ATTEMPTS = 12;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 3 * 60 * 60_000;
/** A process working on a removal holds it this long; a crashed one lets it go then. */
const LEASE_MS = 5 * 60_000;
/** Removals one pass works through; the rest wait for the next tick. */
const PER_PASS = 50;

/**
 * Removes the provider hooks queued for removal (see `event_hook_removals`): each removal is
 * claimed with a lease, so one process works on it at a time, and deleted once every hook is
 * gone at the provider. A hook the provider no longer knows counts as removed, so a removal
 * taken over from a crashed process repeats nothing harmful. Failures back off exponentially.
 */
export async function removeDueHooks(deps: RemovalDeps): Promise<void> {
  for (let i = 0; i < PER_PASS; i++) {
    const now = deps.clock.now();
    const row = await claimHookRemoval(deps.db, new Date(now), new Date(now + LEASE_MS));
    if (!row) return;
    await removeHooks(deps, row);
  }
}

async function removeHooks(deps: RemovalDeps, row: HookRemovalRow): Promise<void> {
  const log = deps.log.child({ instanceId: row.instanceId, elementKey: row.elementKey, removalId: row.id });
  const instance = await openFor(deps, row);
  if (!instance) {
    log.error({ hooks: Object.keys(row.hooks).length }, 'provider hooks left registered: credentials unusable');
    await finishHookRemoval(deps.db, row.id);
    return;
  }
  const remaining: Record<string, string> = {};
  let lastError = '';
  for (const [eventKey, id] of Object.entries(row.hooks)) {
    const outcome = await removeHook(deps, instance, id).catch((err: unknown) => (err as Error).message);
    if (outcome === undefined) continue;
    remaining[eventKey] = id;
    lastError = outcome;
  }
  if (Object.keys(remaining).length === 0) {
    await finishHookRemoval(deps.db, row.id);
    log.info({ hooks: Object.keys(row.hooks).length }, 'provider hooks removed');
    return;
  }
  const attempts = row.attempts + 1;
  if (attempts >= ATTEMPTS) {
    log.error({ attempts, hooks: Object.keys(remaining).length, lastError }, 'provider hooks left registered after repeated failures');
    await finishHookRemoval(deps.db, row.id);
    return;
  }
  const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
  log.warn({ attempts, hooks: Object.keys(remaining).length, lastError, retryInMs: wait }, 'provider hook removal failed; will retry');
  await retryHookRemoval(deps.db, row.id, remaining, attempts, new Date(deps.clock.now() + wait), lastError);
}

/** The live instance, else the snapshot's; undefined when the snapshot cannot be opened (a
 * dropped key, an element no longer in the catalog), which no retry would change. */
async function openFor(deps: RemovalDeps, row: HookRemovalRow): Promise<Instance | undefined> {
  const live = await deps.openInstance(row.instanceId);
  if (live) return live;
  try {
    return deps.openSnapshot(row);
  } catch {
    return undefined;
  }
}

/** Undefined when the hook is gone at the provider, else why it is not. */
async function removeHook(deps: RemovalDeps, instance: Instance, id: string): Promise<string | undefined> {
  const hooks = instance.element.provider.hooks;
  if (!hooks) return undefined;
  const url = new URL(`${instance.configuration[instance.element.provider.baseUrlKey]}${hooks.path}/${encodeURIComponent(id)}`);
  const response = await deps.provider.send(instance, { method: 'DELETE', url, body: undefined });
  if (response.status < 300 || response.status === 404 || response.status === 410) return undefined;
  return `the provider answered ${response.status} to DELETE ${url.pathname}`;
}
