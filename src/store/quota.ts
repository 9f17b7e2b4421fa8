import { sql } from 'drizzle-orm';
import type { Database } from './open.js';

/** The window counts after this call, and the daily-quota block recorded for the client. */
export interface Counted {
  second: number;
  minute: number;
  blockedUntil: number;
}

/**
 * Counts one call in the current second and minute windows of `key`, in one statement on one
 * row: each count restarts at 1 when its window moves on. Processes whose clocks differ
 * slightly count into the newest window rather than resetting it.
 */
export async function countCall(db: Database, key: string, second: number, minute: number): Promise<Counted> {
  const result = (await db.execute(sql`
    insert into quota_counters as q (key, second_window, second_used, minute_window, minute_used)
    values (${key}, ${second}, 1, ${minute}, 1)
    on conflict (key) do update set
      second_used = case when excluded.second_window > q.second_window then 1
                         else q.second_used + 1 end,
      second_window = greatest(q.second_window, excluded.second_window),
      minute_used = case when excluded.minute_window > q.minute_window then 1
                         else q.minute_used + 1 end,
      minute_window = greatest(q.minute_window, excluded.minute_window)
    returning second_used, minute_used, blocked_until`)) as unknown as {
    rows: { second_used: number; minute_used: number; blocked_until: string | number }[];
  };
  const row = result.rows[0];
  if (!row) throw new Error('quota counter upsert returned nothing');
  return {
    second: Number(row.second_used),
    minute: Number(row.minute_used),
    blockedUntil: Number(row.blocked_until),
  };
}

/** Takes back a call counted by `countCall` that was not sent after all. */
export async function uncountCall(db: Database, key: string, second: number, minute: number): Promise<void> {
  await db.execute(sql`
    update quota_counters set
      second_used = case when second_window = ${second} then greatest(second_used - 1, 0)
                         else second_used end,
      minute_used = case when minute_window = ${minute} then greatest(minute_used - 1, 0)
                         else minute_used end
    where key = ${key}`);
}

/** Records that the provider's daily quota for `key` is spent until `until` (epoch ms). */
export async function blockCalls(db: Database, key: string, until: number): Promise<void> {
  await db.execute(sql`
    insert into quota_counters as q
      (key, second_window, second_used, minute_window, minute_used, blocked_until)
    values (${key}, 0, 0, 0, 0, ${until})
    on conflict (key) do update set
      blocked_until = greatest(q.blocked_until, excluded.blocked_until)`);
}
