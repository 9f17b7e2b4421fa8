import { TestClock } from 'pg-boss';
import type { JobClock } from '../../src/jobs/jobs.js';

/**
 * A clock that moves only when the test says so, shared by the hub and its job queue: pg-boss
 * attaches it to the database as well, so retry delays and `startAfter` follow it too.
 * `await clock.tick(ms)` moves time and fires what came due, polls included.
 */
export class ManualClock extends TestClock implements JobClock {
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }
}
