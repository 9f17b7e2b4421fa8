/**
 * Time zones as poller configurations name them: Java's zone ids. A zone is a function from an
 * instant to its offset, because named zones (DST) have more than one.
 */

/** Minutes east of UTC at the given instant. */
export type Zone = (utcMs: number) => number;

const UTC: Zone = () => 0;

/**
 * Java's three-letter ids. Java itself maps some to DST-observing regions and others (EST, MST,
 * HST) to fixed offsets; we follow it so a configuration means what it meant on the platform.
 */
const shortIds: Record<string, string> = {
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  EDT: 'America/New_York',
  MDT: 'America/Denver',
  AKST: 'America/Anchorage',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  CET: 'Europe/Paris',
  EET: 'Europe/Athens',
  AET: 'Australia/Sydney',
  EST: '-05:00',
  MST: '-07:00',
  HST: '-10:00',
};

const OFFSET = /^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Resolves `GMT`, `UTC`, `+05:30`, `-8:00`, `GMT-08:00`, `PST` or an IANA name; undefined if unknown. */
export function resolveZone(id: string | undefined): Zone | undefined {
  const name = (id ?? '').trim();
  if (name === '' || /^(GMT|UTC|Z|UT)$/i.test(name)) return UTC;
  const mapped = shortIds[name.toUpperCase()] ?? name;
  const offset = OFFSET.exec(mapped);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    const fixed = offset[1] === '-' ? -minutes : minutes;
    return () => fixed;
  }
  return namedZone(mapped);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function namedZone(name: string): Zone | undefined {
  let formatter = formatters.get(name);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(name, formatter);
  }
  const zoneFormatter = formatter;
  return (utcMs) => {
    const parts: Record<string, number> = {};
    for (const part of zoneFormatter.formatToParts(new Date(utcMs))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts['year'] ?? 1970,
      (parts['month'] ?? 1) - 1,
      parts['day'] ?? 1,
      parts['hour'] ?? 0,
      parts['minute'] ?? 0,
      parts['second'] ?? 0,
    );
    return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
  };
}

/**
 * The instant a wall-clock time (read as if it were UTC) stands for in a zone. In a DST gap the
 * later offset wins; in an overlap the earlier instant, as `java.util.Calendar` does.
 */
export function wallToUtc(wallMs: number, zone: Zone): number {
  const first = wallMs - zone(wallMs) * 60_000;
  const second = wallMs - zone(first) * 60_000;
  if (first === second) return first;
  const earlier = Math.min(first, second);
  return wallMs - zone(earlier) * 60_000 === earlier ? earlier : Math.max(first, second);
}
