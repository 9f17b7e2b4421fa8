import type { Clock } from '../../src/clock.js';

/**
 * A clock tests move by hand. `sleep` does not wait: it moves time to the sleeper's wake-up
 * (never backwards, so concurrent sleepers do not add up) and records what was asked.
 */
export class TestClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private time = Date.now()) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    const wakeUp = this.time + ms;
    // Sleepers that started together wake together: time moves to the latest wake-up only.
    await new Promise((resolve) => setImmediate(resolve));
    this.time = Math.max(this.time, wakeUp);
  }
}
