import type { Clock } from '../clock.js';
import { apiError } from '../http/errors.js';

export interface QuotaLimits {
  perSecond: number;
  perMinute: number;
}

interface Window {
  /** Send times within the last second, oldest first. */
  recent: number[];
  minuteStart: number;
  minuteCount: number;
}

/**
 * Keeps calls per OAuth client under the provider's spike and per-minute limits by making
 * callers wait for a slot, so the provider's 429 stays the exception. Calls that would wait
 * longer than `maxWaitMs` are refused with a 429 of our own carrying `Retry-After`.
 */
export class QuotaGovernor {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly scale = 1,
    private readonly maxWaitMs = 30_000,
  ) {}

  async acquire(key: string, declared: QuotaLimits): Promise<void> {
    const limits = {
      perSecond: declared.perSecond * this.scale,
      perMinute: declared.perMinute * this.scale,
    };
    const window = this.window(key);
    for (;;) {
      const now = this.clock.now();
      const wait = this.waitFor(window, limits, now);
      if (wait === 0) {
        window.recent.push(now);
        window.minuteCount++;
        return;
      }
      if (wait > this.maxWaitMs) {
        const error = apiError('quota.exhausted', { seconds: Math.ceil(wait / 1000) });
        error.headers['retry-after'] = String(Math.ceil(wait / 1000));
        throw error;
      }
      await this.clock.sleep(wait);
    }
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
      window = { recent: [], minuteStart: this.clock.now(), minuteCount: 0 };
      this.windows.set(key, window);
    }
    return window;
  }
}
