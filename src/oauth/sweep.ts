import type { Clock } from '../clock.js';
import { findIdleInstanceIds } from '../store/credentials.js';
import type { Database } from '../store/open.js';
import type { TokenRefresher } from './refresh.js';
import { IDLE_REFRESH_MS } from './schedule.js';

export interface SweepResult {
  refreshed: number;
  failed: number;
}

/**
 * Refreshes every valid instance whose refresh token has not been used for ~30 days, so it
 * does not lapse at Keap's 45 days. Safe to run from several processes at once: the refresher
 * re-checks each instance under its row lock. This is the seam the job queue will call.
 */
export async function sweepIdleRefreshes(
  db: Database,
  clock: Clock,
  refresher: TokenRefresher,
): Promise<SweepResult> {
  const ids = await findIdleInstanceIds(db, clock.now() - IDLE_REFRESH_MS);
  const result: SweepResult = { refreshed: 0, failed: 0 };
  for (const id of ids) {
    // Failures are classified and logged by the refresher (an invalid grant marks the instance).
    const ok = await refresher.refreshById(id, 'idle').then(
      () => true,
      () => false,
    );
    result[ok ? 'refreshed' : 'failed']++;
  }
  return result;
}

/** A periodic task that can be stopped, waiting for a run in progress. */
export interface Periodic {
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` of wall time (a timer, not the injected clock: a test clock
 * whose `sleep` returns at once would make a loop spin). `intervalMs` 0 runs nothing.
 * TODO(#4): the in-process timer runs in every process — remove when the pg-boss queue on
 * branch `jobs` schedules `sweepIdleRefreshes` once per cluster.
 */
export function every(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): Periodic {
  if (intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= task()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
