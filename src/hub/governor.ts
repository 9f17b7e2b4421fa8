import type { Clock } from '../clock.js';
import { apiError, type ApiError } from '../http/errors.js';

export interface QuotaLimits {
  perSecond: number;
  perMinute: number;
}

/**
 * Keeps calls per OAuth client under the provider's spike and per-minute limits by making
 * callers wait for a slot, so the provider's 429 stays the exception. Keap counts per client
 * key across every tenant (keap.md §4), so the key is the provider and client id.
 */
export interface QuotaGovernor {
  /**
   * Waits for a call slot. Refuses with `quota.exhausted` (and `Retry-After`) when the wait
   * would pass the budget or the provider said its daily quota is spent until later.
   */
  acquire(key: string, limits: QuotaLimits): Promise<void>;
  /** Records that the provider's daily quota for `key` is spent until `until` (epoch ms). */
  blockUntil(key: string, until: number): Promise<void>;
}

/** The longest a call waits for a slot before it is refused. */
export const MAX_WAIT_MS = 30_000;

/** The 429 Junction answers itself when a call cannot get a slot in time. */
export function exhausted(waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const error = apiError('quota.exhausted', { seconds });
  error.headers['retry-after'] = String(seconds);
  return error;
}

interface Window {
  /** Send times within the last second, oldest first. */
  recent: number[];
  minuteStart: number;
  minuteCount: number;
  blockedUntil: number;
}

/** The governor of a single process (the embedded store): all state in memory. */
export class LocalGovernor implements QuotaGovernor {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  async acquire(key: string, limits: QuotaLimits): Promise<void> {
    const window = this.window(key);
    for (;;) {
      const now = this.clock.now();
      if (window.blockedUntil > now) throw exhausted(window.blockedUntil - now);
      const wait = this.waitFor(window, limits, now);
      if (wait === 0) {
        window.recent.push(now);
        window.minuteCount++;
        return;
      }
      if (wait > this.maxWaitMs) throw exhausted(wait);
      await this.clock.sleep(wait);
    }
  }

  async blockUntil(key: string, until: number): Promise<void> {
    const window = this.window(key);
    window.blockedUntil = Math.max(window.blockedUntil, until);
  }

  private waitFor(window: Window, limits: QuotaLimits, now: number): number {
    if (now - window.minuteStart >= 60_000) {
      window.minuteStart = now;
      window.minuteCount = 0;
    }
    while (window.recent.length > 0 && now - (window.recent[0] as number) >= 1000) window.recent.shift();
    if (window.minuteCount >= limits.perMinute) return window.minuteStart + 60_000 - now;
    if (window.recent.length >= limits.perSecond) return (window.recent[0] as number) + 1000 - now;
    return 0;
  }

  private window(key: string): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = { recent: [], minuteStart: this.clock.now(), minuteCount: 0, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    return window;
  }
}
