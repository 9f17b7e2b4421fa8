import type { Clock } from '../clock.js';
import type { Database } from '../store/open.js';
import { blockCalls, ensureCounter, reserveSlots, type Granted } from '../store/quota.js';
import { exhausted, MAX_WAIT_MS, type QuotaGovernor, type QuotaLimits } from './governor.js';

/**
 * Slots a process takes from the shared counter at once: a fifth of the spike limit (5 of
 * Keap's 25/s), so a busy process costs a store round-trip per several calls while its peers
 * still find room in the same second; at most 100, for benchmarks with raised limits.
 */
function batchSize(limits: QuotaLimits): number {
  return Math.max(1, Math.min(100, Math.floor(limits.perSecond / 5)));
}

/**
 * Slots of a second are not used in its last GUARD_MS: a call sent then could reach the
 * provider in the next second, which counts it there, next to that second's own slots.
 */
const GUARD_MS = 50;

/** What one process holds of one client key's shared windows. */
interface Slots {
  /** Calendar second (epoch s) the slots in hand are for. */
  second: number;
  minute: number;
  left: number;
  /** Until when the shared windows were full at the last reservation (epoch ms). */
  fullUntil: number;
  blockedUntil: number;
  /** The reservation in flight, shared by every caller of this process that needs one. */
  reserving: Promise<void> | undefined;
  ensured: boolean;
}

/**
 * The governor of processes sharing PostgreSQL: the counters live in the store, so the limits
 * hold for all processes together. A process reserves slots of the current calendar second
 * in batches (one round-trip per batch, shared by its concurrent callers) and hands them out
 * from memory, so most calls touch no store. Slots left when the second ends are counted back
 * from the minute with the next reservation. Windows are fixed calendar seconds and minutes,
 * like the provider's own (keap.md §4). The daily-quota block is shared through the same row:
 * a process learns of a peer's block with its next reservation.
 */
export class SharedGovernor implements QuotaGovernor {
  private readonly slots = new Map<string, Slots>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  async acquire(key: string, limits: QuotaLimits): Promise<void> {
    const slots = this.slotsOf(key);
    const started = this.clock.now();
    for (;;) {
      const now = this.clock.now();
      if (slots.blockedUntil > now) throw exhausted(slots.blockedUntil - now);
      const second = Math.floor(now / 1000);
      const usable = now % 1000 < 1000 - GUARD_MS;
      if (usable && slots.second === second && slots.left > 0) {
        slots.left--;
        return;
      }
      const wait = usable ? Math.max(0, slots.fullUntil - now) : 1000 - (now % 1000);
      if (wait > 0) {
        if (now - started + wait > this.maxWaitMs) throw exhausted(wait);
        await this.clock.sleep(wait);
        continue;
      }
      slots.reserving ??= this.reserve(key, slots, limits, now).finally(() => {
        slots.reserving = undefined;
      });
      await slots.reserving;
    }
  }

  async blockUntil(key: string, until: number): Promise<void> {
    const slots = this.slotsOf(key);
    slots.blockedUntil = Math.max(slots.blockedUntil, until);
    await blockCalls(this.db, key, until);
  }

  private async reserve(key: string, slots: Slots, limits: QuotaLimits, now: number): Promise<void> {
    if (!slots.ensured) {
      await ensureCounter(this.db, key);
      slots.ensured = true;
    }
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60_000);
    const returned = slots.second === second ? 0 : slots.left;
    const granted = await reserveSlots(this.db, {
      key,
      second,
      minute,
      wanted: batchSize(limits),
      perSecond: limits.perSecond,
      perMinute: limits.perMinute,
      returned,
      returnedMinute: slots.minute,
    });
    slots.left = (slots.second === second ? slots.left : 0) + granted.granted;
    slots.second = second;
    slots.minute = minute;
    slots.blockedUntil = Math.max(slots.blockedUntil, granted.blockedUntil);
    slots.fullUntil = granted.granted > 0 ? 0 : fullUntil(granted, limits, now);
  }

  private slotsOf(key: string): Slots {
    let slots = this.slots.get(key);
    if (!slots) {
      slots = {
        second: 0,
        minute: 0,
        left: 0,
        fullUntil: 0,
        blockedUntil: 0,
        reserving: undefined,
        ensured: false,
      };
      this.slots.set(key, slots);
    }
    return slots;
  }
}

/** When the window that left no slot moves on. */
function fullUntil(granted: Granted, limits: QuotaLimits, now: number): number {
  if (granted.minuteUsed >= limits.perMinute) return now - (now % 60_000) + 60_000;
  return now - (now % 1000) + 1000;
}
