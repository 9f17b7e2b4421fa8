import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { EventOptions } from '../config.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance } from '../instances/model.js';
import type { InstanceService } from '../instances/service.js';
import { dropPollStates, purgeEvents } from '../store/events.js';
import { listEventInstanceIds } from '../store/instances.js';
import type { Database } from '../store/open.js';
import { deliverNext, type DeliveryDeps } from './delivery.js';
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
    deps.instances.onChange((change) => this.changed(change));
  }

  start(): void {
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
    for (const id of await listEventInstanceIds(this.deps.db)) {
      const instance = await this.deps.instances.open(id);
      if (!instance) continue;
      const settings = readEventSettings(instance.element, instance.configuration);
      if (settings.mechanism === 'polling') await pollInstance(this.polling, instance);
      else await dropPollStates(this.deps.db, instance.id, []);
    }
    while (await deliverNext(this.delivery)) {
      // keep going while deliveries are due
    }
    await this.purge();
  }

  private async purge(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await purgeEvents(this.deps.db, new Date(now - this.deps.options.retentionDays * 86_400_000));
  }

  private changed(change: { before?: Instance; after?: Instance }): void {
    const touched = change.after ?? change.before;
    if (!touched || !this.worker) return;
    void this.worker.runNow();
  }
}
