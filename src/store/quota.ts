import { sql } from 'drizzle-orm';
import type { Database } from './open.js';

/** A window's count after this call, and the daily-quota block recorded for the client. */
export interface Counted {
  second: number;
  minute: number;
  blockedUntil: number;
}

/**
 * Counts one call in the current second and minute windows of `key`, in one statement: each
 * counter restarts at 1 when its window moves on. Processes whose clocks differ slightly
 * count into the newest window rather than resetting it.
 */
export async function countCall(db: Database, key: string, second: number, minute: number): Promise<Counted> {
  const result = (await db.execute(sql`
    insert into quota_counters (key, window_start, used)
    values (${`${key}:s`}, ${second}, 1), (${`${key}:m`}, ${minute}, 1)
    on conflict (key) do update set
      used = case when excluded.window_start > quota_counters.window_start then 1
                  else quota_counters.used + 1 end,
      window_start = greatest(quota_counters.window_start, excluded.window_start)
    returning key, used, blocked_until`)) as unknown as {
    rows: { key: string; used: number; blocked_until: string | number }[];
  };
  const counted: Counted = { second: 0, minute: 0, blockedUntil: 0 };
  for (const row of result.rows) {
    if (row.key.endsWith(':s')) counted.second = Number(row.used);
    else {
      counted.minute = Number(row.used);
      counted.blockedUntil = Number(row.blocked_until);
    }
  }
  return counted;
}

/** Takes back a call counted by `countCall` that was not sent after all. */
export async function uncountCall(db: Database, key: string, second: number, minute: number): Promise<void> {
  await db.execute(sql`
    update quota_counters set used = greatest(used - 1, 0)
    where (key = ${`${key}:s`} and window_start = ${second})
       or (key = ${`${key}:m`} and window_start = ${minute})`);
}

/** Records that the provider's daily quota for `key` is spent until `until` (epoch ms). */
export async function blockCalls(db: Database, key: string, until: number): Promise<void> {
  await db.execute(sql`
    insert into quota_counters (key, window_start, used, blocked_until)
    values (${`${key}:m`}, 0, 0, ${until})
    on conflict (key) do update set
      blocked_until = greatest(quota_counters.blocked_until, excluded.blocked_until)`);
}
