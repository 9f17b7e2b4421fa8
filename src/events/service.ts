import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { EventOptions } from '../config.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance } from '../instances/model.js';
import type { InstanceService } from '../instances/service.js';
import { queueTimers, type BatchResult, type Job, type Jobs, type QueueOptions } from '../jobs/jobs.js';
import { dropPollStates, instancesWithEventWork, purgeEvents } from '../store/events.js';
import { claimInbox, listHooks, removeFromInbox, retryInbox } from '../store/inbox.js';
import { dueDeliveryIds } from '../store/deliveries.js';
import { listEventInstanceIds } from '../store/instances.js';
import { dueNotificationDeliveryIds } from '../store/notifications.js';
import { deliverNotificationDue, type NotificationDeliveryDeps } from '../notifications/delivery.js';
import type { Mailer } from '../notifications/mail.js';
import { purgeNotifications } from '../store/notifications.js';
import type { Database } from '../store/open.js';
import { deliverDue, type DeliveryDeps } from './delivery.js';
import { removeDueHooks, type RemovalDeps } from './hook-removal.js';
import { dropHooks, reconcileHooks, type HookDeps } from './hooks.js';
import { processBatch, processPolledRecords, type WebhookDeps } from './webhook.js';
import { pollInstance, type PollingDeps } from './polling.js';
import type { RetryPolicy } from './retry-policy.js';
import { readEventSettings } from './settings.js';
import { EVENT_QUEUES, Gate, startTicker, type Ticker } from './worker.js';

export interface EventServiceDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  instances: InstanceService;
  matcher: OperationMatcher;
  provider: ProviderCaller;
  options: EventOptions;
  jobs: Jobs;
  /** Sends `email` notification deliveries; without it they are queued. */
  mailer: Mailer | undefined;
}

const PURGE_EVERY_MS = 60 * 60_000;
/** How often a tick runs every enabled instance, not only those with work due. */
const FULL_PASS_EVERY_MS = 5 * 60_000;
/** An inbound payload that still fails after this many tries is dropped (and logged). */
const INBOX_ATTEMPTS = 8;
/** Inbound payloads worked between two looks for deliveries to send. */
const INBOX_PER_ROUND = 4;
/** Deliveries one look sends as jobs; the rest wait for the next look. */
const DELIVERIES_PER_TICK = 500;
/** A job that throws (the store or a provider failing) is retried by the queue. */
const UNIT_RETRIES: QueueOptions = {
  retryLimit: 4,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 300,
};

/** Deliveries (or instances) one job handler takes at once, side by side. */
const UNITS_PER_BATCH = 20;

/** Where a tick sends the units of due work: to the queue, or (`runNow`) straight to work. */
interface Dispatch {
  instances(ids: number[]): Promise<unknown>;
  deliveries(ids: number[]): Promise<unknown>;
  notifications(ids: number[]): Promise<unknown>;
}

/**
 * The event pipeline of a running hub: polls that are due, then the outbox, run as jobs shared
 * by every process on the store (see `EVENT_QUEUES`). Every step reads the instance's
 * configuration afresh, so turning events on or off, or switching mechanism, takes effect on
 * the next tick; an instance change also queues that instance's work at once.
 */
export class EventService {
  private ticker: Ticker | undefined;
  private readonly gate = new Gate();
  private lastPurge = 0;
  private lastFullPass = 0;
  private readonly polling: PollingDeps;
  private readonly delivery: DeliveryDeps;
  private readonly notificationDelivery: NotificationDeliveryDeps;
  private readonly hooks: HookDeps;
  private readonly webhook: WebhookDeps;
  private readonly removal: RemovalDeps;
  private publicUrl = '';

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
    this.notificationDelivery = { ...this.delivery, mailer: deps.mailer };
    this.hooks = {
      db: deps.db,
      clock: deps.clock,
      log,
      provider: deps.provider,
      publicUrl: () => this.publicUrl,
      snapshot: (instance) => deps.instances.snapshot(instance),
    };
    this.removal = {
      db: deps.db,
      clock: deps.clock,
      log,
      provider: deps.provider,
      openInstance: (id) => deps.instances.open(id),
      openSnapshot: (snapshot) => deps.instances.openSnapshot(snapshot),
    };
    this.webhook = { db: deps.db, clock: deps.clock, matcher: deps.matcher, provider: deps.provider };
    deps.instances.onChange((change) => this.changed(change));
  }

  /** What a failed delivery does when the account chose no `notification.webhook.failure.policy`. */
  get defaultFailurePolicy(): RetryPolicy['mode'] {
    return this.delivery.policy.mode;
  }

  private readonly inline: Dispatch = {
    instances: async (ids) => {
      for (const id of ids) await this.runInstance(id);
    },
    deliveries: async (ids) => {
      for (const id of ids) await deliverDue(this.delivery, id);
    },
    notifications: async (ids) => {
      for (const id of ids) await deliverNotificationDue(this.notificationDelivery, id);
    },
  };

  /** One job per unit, all in one round trip; a unit already waiting is not queued twice. */
  private readonly queued: Dispatch = {
    instances: (ids) =>
      this.deps.jobs.sendMany(EVENT_QUEUES.instance, ids.map((id) => ({ data: { instanceId: id }, singletonKey: String(id) }))),
    deliveries: (ids) =>
      this.deps.jobs.sendMany(EVENT_QUEUES.delivery, ids.map((id) => ({ data: { deliveryId: id }, singletonKey: String(id) }))),
    notifications: (ids) =>
      this.deps.jobs.sendMany(EVENT_QUEUES.notification, ids.map((id) => ({ data: { deliveryId: id }, singletonKey: String(id) }))),
  };

  /**
   * Works the event queues in this process and sends a tick every `tickMs`; `publicUrl` is the
   * origin providers' hooks are pointed at.
   */
  async start(publicUrl: string): Promise<void> {
    this.publicUrl = publicUrl.replace(/\/+$/, '');
    await this.defineQueues();
    const { clock, options } = this.deps;
    // Every process sends; the window keeps it to one tick per interval across them all.
    const window = Math.max(1, Math.round(options.tickMs / 1000));
    const send = () => this.send(EVENT_QUEUES.tick, {}, 'interval', window);
    this.ticker = startTicker(queueTimers(clock), options.tickMs, send, this.polling.log);
  }

  /**
   * Stops sending ticks. The event jobs in progress are the queue's to wait for, within the
   * shutdown bound, when it stops.
   */
  stop(): void {
    this.ticker?.stop();
    this.ticker = undefined;
  }

  /**
   * Runs a whole tick in this process now, its units too, once the jobs in progress here are
   * done (tests use it after moving the clock). Other processes' jobs may still run beside it.
   */
  async runNow(): Promise<void> {
    await this.gate.alone(() => this.tick(this.inline));
  }

  /** Asks for a tick soon, on any process: new inbound payloads or redeliveries wait. */
  async nudge(): Promise<void> {
    if (!this.ticker) return;
    const log = this.polling.log;
    await this.send(EVENT_QUEUES.tick, {}, 'nudge', 1).catch((err: unknown) => log.warn({ err }, 'tick not queued'));
  }

  /** One job per `key` waiting at a time (per `windowSeconds`, when given). */
  private send(queue: string, data: object, key: string, windowSeconds?: number): Promise<unknown> {
    const window = windowSeconds === undefined ? {} : { singletonSeconds: windowSeconds };
    return this.deps.jobs.send(queue, data, { singletonKey: key, ...window });
  }

  private async defineQueues(): Promise<void> {
    const { jobs, options } = this.deps;
    // A tick that fails is not retried: the next one comes within the interval.
    // A new job wakes a worker through NOTIFY where the store has it; polling is the backstop.
    const pollingIntervalSeconds = Math.min(2, Math.max(0.5, options.tickMs / 1000));
    const tick = () => this.gate.shared(() => this.tick(this.queued));
    await jobs.define(EVENT_QUEUES.tick, tick, { retryLimit: 0, pollingIntervalSeconds });
    // Units are taken in batches and worked side by side, and a full batch fetches the next at
    // once: one job per poll interval would cap a backlog at a unit every interval.
    const batch = { batchSize: UNITS_PER_BATCH, burst: true, pollingIntervalSeconds };
    await jobs.define<{ instanceId: number }>(
      EVENT_QUEUES.instance,
      (batchJobs) => this.sideBySide(batchJobs, (job) => this.runInstance(job.data.instanceId)),
      { policy: 'short', ...UNIT_RETRIES, ...batch, expireInSeconds: 15 * 60 },
    );
    await jobs.define<{ deliveryId: number }>(
      EVENT_QUEUES.delivery,
      (batchJobs) => this.sideBySide(batchJobs, (job) => deliverDue(this.delivery, job.data.deliveryId)),
      { policy: 'short', ...UNIT_RETRIES, ...batch, expireInSeconds: Math.ceil(options.timeoutMs / 1000) + 60 },
    );
    await jobs.define<{ deliveryId: number }>(
      EVENT_QUEUES.notification,
      (batchJobs) =>
        this.sideBySide(batchJobs, (job) => deliverNotificationDue(this.notificationDelivery, job.data.deliveryId)),
      { policy: 'short', ...UNIT_RETRIES, ...batch, expireInSeconds: Math.ceil(options.timeoutMs / 1000) + 60 },
    );
  }

  /** Runs a batch's jobs at once; a job that throws is retried alone, the others complete. */
  private async sideBySide<T>(batchJobs: Job<T>[], work: (job: Job<T>) => Promise<unknown>): Promise<BatchResult> {
    const settled = await Promise.allSettled(batchJobs.map((job) => this.gate.shared(() => work(job))));
    const failed: BatchResult['failed'] = [];
    settled.forEach((outcome, i) => {
      const job = batchJobs[i];
      if (outcome.status === 'rejected' && job) failed.push({ id: job.id, error: errorText(outcome.reason) });
    });
    return { failed };
  }

  /** Finds what is due and hands each unit to `run`; inbound payloads are processed here. */
  private async tick(run: Dispatch): Promise<void> {
    const enabled = await listEventInstanceIds(this.deps.db);
    await run.instances(await this.instancesToRun(enabled));
    await this.dropUnwantedHooks(new Set(enabled));
    await removeDueHooks(this.removal);
    // Payloads keep coming while a burst of edits lasts: the deliveries of what is done so far
    // are sent between rounds, not once the inbox is empty.
    let more = true;
    while (more) {
      more = await this.processInbox(INBOX_PER_ROUND);
      const now = new Date(this.deps.clock.now());
      await run.deliveries(await dueDeliveryIds(this.deps.db, now, DELIVERIES_PER_TICK));
      await run.notifications(await dueNotificationDeliveryIds(this.deps.db, now, DELIVERIES_PER_TICK));
    }
    await this.purge();
  }

  /**
   * The instances a tick runs: those with work due, and now and then every enabled one, which
   * catches a configuration change whose own job was lost (it ran on a process that died).
   */
  private async instancesToRun(enabled: number[]): Promise<number[]> {
    const now = this.deps.clock.now();
    if (now - this.lastFullPass >= FULL_PASS_EVERY_MS) {
      this.lastFullPass = now;
      return enabled;
    }
    return instancesWithEventWork(this.deps.db, new Date(now));
  }

  /** An instance's due polls and its provider hooks, as its configuration asks now. */
  private async runInstance(id: number): Promise<void> {
    const instance = await this.deps.instances.open(id);
    if (!instance) return;
    const settings = readEventSettings(instance.element, instance.configuration);
    if (settings.enabled && !instance.disabled) {
      if (settings.mechanism === 'polling') await pollInstance(this.polling, instance);
      else await dropPollStates(this.deps.db, instance.id, []);
    }
    await reconcileHooks(this.hooks, instance);
  }

  /** Works up to `limit` inbound payloads; true when it stopped at the limit with more waiting. */
  private async processInbox(limit: number): Promise<boolean> {
    for (let n = 0; n < limit; n++) {
      if (!(await this.processInboxItem())) return false;
    }
    return true;
  }

  private async processInboxItem(): Promise<boolean> {
    const now = this.deps.clock.now();
    const item = await claimInbox(this.deps.db, new Date(now), new Date(now + 5 * 60_000));
    if (!item) return false;
    const instance = await this.deps.instances.open(item.instanceId);
    try {
      if (instance && item.shape === 'polling') await processPolledRecords(this.webhook, instance, item.body);
      else if (instance) await processBatch(this.webhook, instance, item.body);
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

  /** Hooks of instances that turned events off (or were deleted) are queued for removal. */
  private async dropUnwantedHooks(enabled: Set<number>): Promise<void> {
    for (const row of await listHooks(this.deps.db)) {
      if (!enabled.has(row.instanceId)) await dropHooks(this.hooks, row.instanceId);
    }
  }

  private async purge(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const before = new Date(now - this.deps.options.retentionDays * 86_400_000);
    await purgeEvents(this.deps.db, before);
    await purgeNotifications(this.deps.db, before);
  }

  private changed(change: { before?: Instance; after?: Instance }): void {
    const log = this.polling.log;
    // A deleted instance's hooks were queued for removal with it; a tick soon removes them.
    if (change.before && !change.after) void this.nudge();
    if (change.after && this.ticker) {
      const id = change.after.id;
      const queued = this.queued.instances([id]);
      void queued.catch((err: unknown) => log.warn({ err, instanceId: id }, 'instance work not queued'));
    }
  }
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
