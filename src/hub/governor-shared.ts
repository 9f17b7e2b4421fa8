import type { Clock } from '../clock.js';
import type { Database } from '../store/open.js';
import { blockCalls, countCall, uncountCall } from '../store/quota.js';
import { exhausted, MAX_WAIT_MS, type QuotaGovernor, type QuotaLimits } from './governor.js';

/**
 * The governor of processes sharing PostgreSQL: the counters live in the store, so the limits
 * hold for all processes together. A call that gets its slot costs one round-trip; a call
 * that must wait costs a second one to take its count back. Windows are fixed calendar
 * seconds and minutes, like the provider's own (keap.md §4).
 */
export class SharedGovernor implements QuotaGovernor {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  async acquire(key: string, limits: QuotaLimits): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      const now = this.clock.now();
      const second = Math.floor(now / 1000);
      const minute = Math.floor(now / 60_000);
      const counted = await countCall(this.db, key, second, minute);
      if (counted.blockedUntil > now) {
        await uncountCall(this.db, key, second, minute);
        throw exhausted(counted.blockedUntil - now);
      }
      const wait = waitFor(counted, limits, now);
      if (wait === 0) return;
      await uncountCall(this.db, key, second, minute);
      if (now - started + wait > this.maxWaitMs) throw exhausted(wait);
      await this.clock.sleep(wait);
    }
  }

  async blockUntil(key: string, until: number): Promise<void> {
    await blockCalls(this.db, key, until);
  }
}

/** Until the window that is full moves on; 0 when both have room for this call. */
function waitFor(counted: { second: number; minute: number }, limits: QuotaLimits, now: number): number {
  if (counted.minute > limits.perMinute) return 60_000 - (now % 60_000);
  if (counted.second > limits.perSecond) return 1000 - (now % 1000);
  return 0;
}
