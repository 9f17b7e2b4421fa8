/**
 * The sandbox's notion of "now". Every expiry, quota window and seeded date reads this clock, so
 * tests can freeze or move time instead of sleeping.
 */
export interface SandboxClock {
  /** Epoch milliseconds: the injected base clock plus any offset added through the control API. */
  now(): number;
  /** Moves time forward (or back, with a negative value) without touching the base clock. */
  advance(ms: number): void;
  /** Drops the offset so `now()` equals the base clock again. */
  reset(): void;
}

export function createClock(base: () => number = Date.now): SandboxClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      offset += ms;
    },
    reset() {
      offset = 0;
    },
  };
}
