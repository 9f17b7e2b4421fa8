import { PgBoss, type Clock as BossClock, type Job as BossJob, type JobResult } from 'pg-boss';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { StoreConnection } from '../store/open.js';
import { connectionOptions, JOBS_SCHEMA } from './connection.js';

/**
 * A Junction clock that can also run timers. pg-boss schedules its polls, heartbeats and
 * retries through one; given a plain `Clock`, the queue runs on real time.
 */
export type JobClock = Clock & Pick<BossClock, 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'>;

/** One job handed to a handler, with a logger of its own. */
export interface Job<T> {
  id: string;
  queue: string;
  data: T;
  /** 0 on the first attempt, 1 on the first retry, … */
  retryCount: number;
  /** Aborted when the job expires or the hub stops before the handler is done. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * What a batch handler reports. Resolving without a result completes the whole batch; throwing
 * fails (and so retries) the whole batch; listing jobs under `failed` retries only those.
 */
export interface BatchResult {
  failed: { id: string; error: string }[];
}

export type BatchHandler<T> = (jobs: Job<T>[]) => Promise<BatchResult | void>;

/** How a queue behaves; applied when the queue is defined. */
export interface QueueOptions {
  /** Jobs handed to one handler call. Default 1. */
  batchSize?: number;
  /** Retries after the first attempt before the job is failed for good. Default 2. */
  retryLimit?: number;
  /** Seconds before the first retry. Default 0, or 1 with `retryBackoff`. */
  retryDelaySeconds?: number;
  /** Doubles the delay on each retry, with jitter. */
  retryBackoff?: boolean;
  retryDelayMaxSeconds?: number;
  /** Seconds an attempt may run before it counts as failed. Default 900. */
  expireInSeconds?: number;
  /**
   * `standard` queues every job. The others make `singletonKey` deduplicate: `short` keeps one
   * queued job per key, `singleton` runs one at a time per key, `stately` both, `exclusive` one
   * queued-or-running job per key.
   */
  policy?: 'standard' | 'short' | 'singleton' | 'stately' | 'exclusive';
  /** Handlers of this queue running at once in this process. Default 1. */
  concurrency?: number;
  /** How often an idle worker looks for work (a new job also wakes it). Default 2, least 0.5. */
  pollingIntervalSeconds?: number;
  /**
   * Fetches again at once while batches come back full, so a backlog drains without waiting
   * out the polling interval between batches. Needs `batchSize` above 1.
   */
  burst?: boolean;
}

export interface SendOptions {
  /** Deduplicates on queues with a policy other than `standard`, or with `singletonSeconds`. */
  singletonKey?: string;
  /** At most one job per key in each window of this many seconds. */
  singletonSeconds?: number;
  /** Not before this time. */
  startAfter?: Date;
  priority?: number;
}

export interface ScheduleOptions {
  /** Tells apart several schedules of one queue. */
  key?: string;
  /** IANA time zone the cron expression is read in. Default UTC. */
  tz?: string;
}

/** Background work: queues with handlers, on the store's own database. */
export interface Jobs {
  /** Creates the queue if needed and starts working it in this process. */
  define<T extends object>(name: string, handler: BatchHandler<T>, options?: QueueOptions): Promise<void>;
  /** Queues a job; `null` when a singleton rule dropped it as a duplicate. */
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Queues many jobs in one round trip; a singleton rule drops duplicates silently. */
  sendMany<T extends object>(name: string, jobs: { data: T; singletonKey?: string }[]): Promise<void>;
  /**
   * Sends `data` to a defined queue on a cron expression (minute resolution), once across all
   * hubs. Calling it again with the same name and key replaces the schedule.
   */
  schedule(name: string, cron: string, data?: object, options?: ScheduleOptions): Promise<void>;
  unschedule(name: string, key?: string): Promise<void>;
  /** Resolves when the queue's database answers; rejects otherwise. */
  ping(): Promise<void>;
  /** Jobs waiting per queue and the age of the oldest, for metrics. */
  depths(): Promise<QueueDepth[]>;
  /** Stops taking work and lets running handlers finish within the shutdown bound. */
  stop(): Promise<void>;
}

export interface QueueDepth {
  queue: string;
  waiting: number;
  oldestSeconds: number;
}

export interface JobsOptions {
  connection: StoreConnection;
  logger: Logger;
  clock: Clock;
  /** How long `stop()` waits for running handlers; the rest are failed back for a retry. */
  shutdownMs: number;
}

/** Starts pg-boss on the store's database: installs or migrates its schema, then supervises. */
export async function startJobs(options: JobsOptions): Promise<Jobs> {
  const logger = options.logger.child({ component: 'jobs' });
  const clock = hasTimers(options.clock) ? { clock: options.clock } : {};
  const boss = new PgBoss({ ...connectionOptions(options.connection), ...clock, useListenNotify: true });
  // Without a listener an `error` event would throw; these are maintenance and polling faults
  // pg-boss recovers from on its own, so they are reported, not fatal.
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  boss.on('warning', (warning) => logger.warn({ warning: warning.message }, 'job queue warning'));
  await boss.start();
  logger.info('job queue started');
  return new BossJobs(boss, logger, options);
}

/** Timers on the queue's time: the clock's own when it has them (tests), else real ones. */
export type QueueTimers = Pick<BossClock, 'setTimeout' | 'clearTimeout'>;

/**
 * The timers pg-boss runs on for `clock`. Work that paces itself beside the queue uses them, so
 * a test clock that only reads time (or moves it on every sleep) leaves that pace real.
 */
export function queueTimers(clock: Clock): QueueTimers {
  if (hasTimers(clock)) return clock;
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

function hasTimers(clock: Clock): clock is JobClock {
  const timers = clock as Partial<JobClock>;
  return typeof timers.setTimeout === 'function' && typeof timers.setInterval === 'function';
}

class BossJobs implements Jobs {
  constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
    private readonly options: JobsOptions,
  ) {}

  async depths(): Promise<QueueDepth[]> {
    // pg-boss counts jobs per queue; the age of the oldest waiting one needs its job table.
    const { rows } = await this.boss.getDb().executeSql(
      `select name, count(*)::int as waiting,
              coalesce(extract(epoch from now() - min(created_on)), 0)::float as oldest
         from ${JOBS_SCHEMA}.job where state in ('created', 'retry') group by name`,
    );
    return (rows as { name: string; waiting: number; oldest: number }[]).map((r) => ({
      queue: r.name,
      waiting: r.waiting,
      oldestSeconds: r.oldest,
    }));
  }

  async define<T extends object>(
    name: string,
    handler: BatchHandler<T>,
    options: QueueOptions = {},
  ): Promise<void> {
    const queue = {
      policy: options.policy ?? 'standard',
      notify: true,
      ...defined({
        retryLimit: options.retryLimit,
        retryDelay: options.retryDelaySeconds,
        retryBackoff: options.retryBackoff,
        retryDelayMax: options.retryDelayMaxSeconds,
        expireInSeconds: options.expireInSeconds,
      }),
    };
    await this.boss.createQueue(name, queue);
    // createQueue leaves an existing queue as it was; a changed retry setting still applies.
    const { policy: _policy, retryDelayMax: _max, ...updatable } = queue;
    await this.boss.updateQueue(name, updatable);

    // A new job wakes a worker through LISTEN/NOTIFY, but retries and deferred jobs come due
    // without a notification, so polling keeps its own pace rather than NOTIFY's slow backstop.
    const polling = options.pollingIntervalSeconds ?? 2;
    const work = {
      batchSize: options.batchSize ?? 1,
      perJobResults: true,
      pollingIntervalSeconds: polling,
      notifyPollingIntervalSeconds: polling,
      burstWhenBatchFull: options.burst ?? false,
      ...defined({ localConcurrency: options.concurrency }),
    } as const;
    await this.boss.work<T>(name, work, (batch) => this.run(name, handler, batch));
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, data, defined({ ...options }));
  }

  async sendMany<T extends object>(name: string, jobs: { data: T; singletonKey?: string }[]): Promise<void> {
    if (jobs.length > 0) await this.boss.insert(name, jobs);
  }

  async schedule(name: string, cron: string, data?: object, options: ScheduleOptions = {}): Promise<void> {
    // pg-boss also takes RFC 5545 rules ("FREQ=…"), but evaluates them with Temporal, which
    // Node 20 lacks; cron expressions never contain "=", rules always do.
    if (cron.includes('=')) {
      throw new Error(`schedule for ${name} must be a cron expression such as "*/5 * * * *", got "${cron}"`);
    }
    await this.boss.schedule(name, cron, data ?? null, defined({ ...options }));
  }

  async unschedule(name: string, key?: string): Promise<void> {
    await this.boss.unschedule(name, key);
  }

  async ping(): Promise<void> {
    await this.boss.getDb().executeSql('select 1');
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: this.options.shutdownMs });
    this.logger.info('job queue stopped');
  }

  /** Runs one batch and turns the handler's report into pg-boss's per-job results. */
  private async run<T>(name: string, handler: BatchHandler<T>, batch: BossJob<T>[]): Promise<JobResult[]> {
    const jobs = batch.map((job) => this.jobOf(name, job));
    const started = this.options.clock.now();
    let result: BatchResult | void;
    try {
      result = await handler(jobs);
    } catch (err) {
      this.logger.warn({ err, queue: name, jobIds: jobs.map((j) => j.id) }, 'job batch failed');
      throw err;
    }

    const failed = new Map((result?.failed ?? []).map((f) => [f.id, f.error]));
    for (const job of jobs) {
      const error = failed.get(job.id);
      if (error !== undefined) job.log.warn({ error }, 'job failed');
    }
    this.logger.debug({ queue: name, jobs: jobs.length, ms: this.options.clock.now() - started }, 'job batch done');
    return jobs.map((job) => {
      const error = failed.get(job.id);
      return error === undefined ? { id: job.id, status: 'completed' } : { id: job.id, status: 'failed', output: { error } };
    });
  }

  private jobOf<T>(queue: string, job: BossJob<T>): Job<T> {
    const log = this.logger.child({ queue, jobId: job.id, retryCount: job.retryCount });
    return { id: job.id, queue, data: job.data, retryCount: job.retryCount, signal: job.signal, log };
  }
}

/** Drops `undefined` members, which pg-boss's option checks (and exact optional types) refuse. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
