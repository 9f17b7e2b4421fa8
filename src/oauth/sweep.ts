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
