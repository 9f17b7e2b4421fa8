import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { EventOptions } from '../config.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance } from '../instances/model.js';
import type { InstanceService } from '../instances/service.js';
import { dropPollStates, purgeEvents } from '../store/events.js';
import { claimInbox, deleteHook, findHook, listHooks, removeFromInbox, retryInbox } from '../store/inbox.js';
import { listEventInstanceIds } from '../store/instances.js';
import type { Database } from '../store/open.js';
import { deliverNext, type DeliveryDeps } from './delivery.js';
import { reconcileHooks, unregisterHooks, type HookDeps } from './hooks.js';
import { processBatch, type WebhookDeps } from './webhook.js';
import { pollInstance, type PollingDeps } from './polling.js';
import type { RetryPolicy } from './retry-policy.js';
import { readEventSettings } from './settings.js';
import { startWorker, type Worker } from './worker.js';

export interface EventServiceDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  instances: InstanceService;
  matcher: OperationMatcher;
  provider: ProviderCaller;
  options: EventOptions;
}

const PURGE_EVERY_MS = 60 * 60_000;
/** An inbound payload that still fails after this many tries is dropped (and logged). */
const INBOX_ATTEMPTS = 8;

/**
 * The event pipeline of a running hub: polls that are due, then the outbox. Every step reads
 * the instance's configuration afresh, so turning events on or off, or switching mechanism,
 * takes effect on the next tick; an instance change also starts a tick at once.
 */
export class EventService {
  private worker: Worker | undefined;
  private lastPurge = 0;
  private readonly polling: PollingDeps;
  private readonly delivery: DeliveryDeps;
  private readonly hooks: HookDeps;
  private readonly webhook: WebhookDeps;
  private publicUrl = '';
  /** Deleted instances whose provider hooks are still to be removed. */
  private readonly deleted: Instance[] = [];

  constructor(private readonly deps: EventServiceDeps) {
    const log = deps.log.child({ component: 'events' });
    this.polling = { db: deps.db, clock: deps.clock, log, matcher: deps.matcher, provider: deps.provider };
    const policy: RetryPolicy = {
      mode: deps.options.failurePolicy,
      retries: deps.options.retries,
      exponent: deps.options.retryExponent,
    };
    this.delivery = {
      db: deps.db,
      clock: deps.clock,
      log,
      policy,
      timeoutMs: deps.options.timeoutMs,
      openInstance: (id) => deps.instances.open(id),
    };
    this.hooks = { db: deps.db, clock: deps.clock, log, provider: deps.provider, publicUrl: () => this.publicUrl };
    this.webhook = { db: deps.db, clock: deps.clock, matcher: deps.matcher, provider: deps.provider };
    deps.instances.onChange((change) => this.changed(change));
  }

  /** Starts the worker; `publicUrl` is the origin providers' hooks are pointed at. */
  start(publicUrl: string): void {
    this.publicUrl = publicUrl.replace(/\/+$/, '');
    this.worker = startWorker(this.deps.clock, this.deps.options.tickMs, () => this.tick(), this.polling.log);
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
  }

  /** Runs a tick now (tests use it after moving the clock). */
  async runNow(): Promise<void> {
    await (this.worker ? this.worker.runNow() : this.tick());
  }

  private async tick(): Promise<void> {
    await this.removeDeletedHooks();
    const enabled = await listEventInstanceIds(this.deps.db);
    for (const id of enabled) {
      const instance = await this.deps.instances.open(id);
      if (!instance) continue;
      const settings = readEventSettings(instance.element, instance.configuration);
      if (settings.mechanism === 'polling') await pollInstance(this.polling, instance);
      else await dropPollStates(this.deps.db, instance.id, []);
      await reconcileHooks(this.hooks, instance);
    }
    await this.dropUnwantedHooks(enabled);
    while (await this.processInbox()) {
      // keep going while payloads wait
    }
    while (await deliverNext(this.delivery)) {
      // keep going while deliveries are due
    }
    await this.purge();
  }

  private async processInbox(): Promise<boolean> {
    const now = this.deps.clock.now();
    const item = await claimInbox(this.deps.db, new Date(now), new Date(now + 5 * 60_000));
    if (!item) return false;
    const instance = await this.deps.instances.open(item.instanceId);
    try {
      if (instance) await processBatch(this.webhook, instance, item.body);
      await removeFromInbox(this.deps.db, item.id);
    } catch (err) {
      const attempts = item.attempts + 1;
      const log = this.polling.log.child({ instanceId: item.instanceId, inboxId: item.id });
      if (attempts >= INBOX_ATTEMPTS) {
        log.error({ err, attempts }, 'inbound event dropped after repeated failures');
        await removeFromInbox(this.deps.db, item.id);
      } else {
        log.warn({ err, attempts }, 'inbound event failed; will retry');
        const next = new Date(this.deps.clock.now() + 2 ** attempts * 1000);
        await retryInbox(this.deps.db, item.id, attempts, next, (err as Error).message);
      }
    }
    return true;
  }

  /** Hooks of instances that turned events off (or webhooks off) come down. */
  private async dropUnwantedHooks(enabled: number[]): Promise<void> {
    for (const row of await listHooks(this.deps.db)) {
      if (enabled.includes(row.instanceId)) continue;
      const instance = await this.deps.instances.open(row.instanceId);
      if (instance) await unregisterHooks(this.hooks, instance, row);
      else await deleteHook(this.deps.db, row.instanceId);
    }
  }

  /**
   * A deleted instance's row is gone, so its hooks are removed with the credentials it had.
   * TODO(#5): keep pending removals in the store — remove when a crash right after a delete
   * must not leave hooks registered at the provider.
   */
  private async removeDeletedHooks(): Promise<void> {
    for (const instance of this.deleted.splice(0)) {
      const row = await findHook(this.deps.db, instance.id);
      if (row) await unregisterHooks(this.hooks, instance, row);
    }
  }

  private async purge(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await purgeEvents(this.deps.db, new Date(now - this.deps.options.retentionDays * 86_400_000));
  }

  private changed(change: { before?: Instance; after?: Instance }): void {
    if (change.before && !change.after) this.deleted.push(change.before);
    if (this.worker) void this.worker.runNow();
  }
}
