import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * The seam between the event pipeline and whatever runs background work. Today a loop on the
 * injected clock runs `tick` every `everyMs`; the state it works from (poll states, inbox,
 * outbox) is all in the store, so moving `tick` onto the job queue changes only this module.
 * TODO(#5): run tick as a scheduled job of src/jobs — remove when the jobs branch is merged.
 */
export interface Worker {
  /** Runs one tick now, after the one in progress if any; resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startWorker(_clock: Clock, everyMs: number, tick: () => Promise<void>, log: Logger): Worker {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const runNow = (): Promise<void> => {
    chain = chain.then(tick).catch((err: unknown) => log.error({ err }, 'event worker tick failed'));
    return chain;
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await runNow();
      // The cadence is wall time: what is due is decided by the injected clock inside `tick`,
      // and a test clock whose `sleep` returns at once would turn this loop into a spin.
      if (!stopped) await delay(everyMs, undefined, { ref: false });
    }
  };
  void loop();
  return {
    runNow,
    stop: async () => {
      stopped = true;
      await chain;
    },
  };
}
