import type { Logger } from 'pino';
import type { QueueTimers } from '../jobs/jobs.js';

/**
 * The event pipeline's queues. A tick finds the work that is due and sends one job per unit of
 * it; any process on the store may take each job. The units are claimed with store leases as
 * well, so a job that runs twice (a retry, a second tick) does the work once.
 */
export const EVENT_QUEUES = {
  /** Finds due work; at most one per tick interval across all processes. */
  tick: 'events.tick',
  /** One instance: its due polls and its provider hooks. Keyed by instance id. */
  instance: 'events.instance',
  /** One outbox delivery. Keyed by delivery id. */
  delivery: 'events.delivery',
  /** One delivery of a generic notification (`POST /notifications`). Keyed by its delivery id. */
  notification: 'events.notification-delivery',
} as const;

export interface Ticker {
  stop(): void;
}

/**
 * Calls `send` now and then `everyMs` after each call returns, until stopped, on the queue's
 * timers. Every process runs one; the queue's singleton window turns the many sends into one
 * tick.
 */
export function startTicker(
  timers: QueueTimers,
  everyMs: number,
  send: () => Promise<unknown>,
  log: Logger,
): Ticker {
  let stopped = false;
  let timer: unknown;
  const fire = async (): Promise<void> => {
    await send().catch((err: unknown) => log.error({ err }, 'event tick could not be queued'));
    if (!stopped) timer = timers.setTimeout(() => void fire(), everyMs);
  };
  void fire();
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}

/**
 * Lets this process's event jobs run side by side, and a whole pass (`alone`) run by itself: a
 * pass waits for the jobs in progress and holds new ones back until it is done. So when a pass
 * resolves, nothing of this process is half done, which is what tests on a manual clock rely on.
 * Other processes are kept apart by the store's leases, not by this.
 */
export class Gate {
  private readonly running = new Set<Promise<unknown>>();
  private pass: Promise<void> | undefined;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.pass) await this.pass;
    const job = work();
    this.running.add(job);
    try {
      return await job;
    } finally {
      this.running.delete(job);
    }
  }

  async alone(work: () => Promise<void>): Promise<void> {
    while (this.pass) await this.pass;
    const run = (async () => {
      await Promise.allSettled([...this.running]);
      await work();
    })();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.pass = settled;
    try {
      await run;
    } finally {
      if (this.pass === settled) this.pass = undefined;
    }
  }
}
