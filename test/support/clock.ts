import type { Clock } from '../../src/clock.js';
import { TestClock as BossClock } from 'pg-boss';
import type { JobClock } from '../../src/jobs/jobs.js';

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

/**
 * A clock that moves only when the test says so, shared by the hub and its job queue: pg-boss
 * attaches it to the database as well, so retry delays and `startAfter` follow it too.
 * `await clock.tick(ms)` moves time and fires what came due, polls included.
 */
export class ManualClock extends BossClock implements JobClock {
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }
}
