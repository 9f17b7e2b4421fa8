import { sql } from 'drizzle-orm';
import type { Database } from './open.js';

/** What one reservation asks of the shared counter of a client key. */
export interface SlotRequest {
  key: string;
  /** The calendar second and minute (epoch s, epoch min) the slots are for. */
  second: number;
  minute: number;
  /** How many slots the process would like. */
  wanted: number;
  perSecond: number;
  perMinute: number;
  /** Slots reserved earlier in minute `returnedMinute` and never used, to count back. */
  returned: number;
  returnedMinute: number;
}

/** The slots granted (0 when a window is full), the window counts after them, and the block. */
export interface Granted {
  granted: number;
  secondUsed: number;
  minuteUsed: number;
  blockedUntil: number;
}

/** Creates the counter row of `key` if it is missing, so reservations can lock it. */
export async function ensureCounter(db: Database, key: string): Promise<void> {
  await db.execute(sql`
    insert into quota_counters (key, second_window, second_used, minute_window, minute_used)
    values (${key}, 0, 0, 0, 0)
    on conflict (key) do nothing`);
}

/**
 * Reserves up to `wanted` call slots in the current second and minute of `key`, in one
 * statement with the row locked, so processes together never pass `perSecond` or
 * `perMinute`: the grant is what is left of the fuller window. Each count restarts when its
 * window moves on; processes whose clocks differ slightly count into the newest window
 * rather than resetting it. Unused slots of an earlier second are counted back from the
 * minute they were taken in (the second they were for is over).
 */
export async function reserveSlots(db: Database, r: SlotRequest): Promise<Granted> {
  const result = (await db.execute(sql`
    with locked as (
      select * from quota_counters where key = ${r.key} for update
    ),
    current as (
      select
        greatest(second_window, ${r.second}) as second_window,
        case when ${r.second} > second_window then 0 else second_used end as second_used,
        greatest(minute_window, ${r.minute}) as minute_window,
        case when ${r.minute} > minute_window then 0
             when minute_window = ${r.returnedMinute} then greatest(minute_used - ${r.returned}, 0)
             else minute_used end as minute_used,
        blocked_until
      from locked
    ),
    granted as (
      select current.*, greatest(0, least(${r.wanted}::int,
        ${r.perSecond}::int - second_used, ${r.perMinute}::int - minute_used)) as n
      from current
    ),
    updated as (
      update quota_counters q set
        second_window = g.second_window,
        second_used = g.second_used + g.n,
        minute_window = g.minute_window,
        minute_used = g.minute_used + g.n
      from granted g
      where q.key = ${r.key}
      returning q.key
    )
    select g.n, g.second_used + g.n as second_used, g.minute_used + g.n as minute_used,
           g.blocked_until, (select count(*) from updated) as updated
    from granted g`)) as unknown as {
    rows: { n: number; second_used: number; minute_used: number; blocked_until: string | number }[];
  };
  const row = result.rows[0];
  if (!row) throw new Error(`quota counter ${r.key} is missing; ensureCounter must run first`);
  return {
    granted: Number(row.n),
    secondUsed: Number(row.second_used),
    minuteUsed: Number(row.minute_used),
    blockedUntil: Number(row.blocked_until),
  };
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
