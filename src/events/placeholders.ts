import { formatDate } from './date-format.js';

/** What `${date}` without a pattern writes, as the legacy poller URLs expect: ISO with millis. */
export const DEFAULT_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/** The server zone of `${date:…}`. Junction runs its pollers in GMT, as the platform did. */
const SERVER_ZONE = 'GMT';

/** A placeholder may hold one braced zone (`${dateTimeZone:{PST}:…}`). */
const PLACEHOLDER = /\$\{((?:\{[^}]*\}|[^{}])*)\}/g;
/** A zone that is itself an offset holds a colon, so it is matched before splitting on one. */
const ZONE_AND_PATTERN = /^\{?((?:GMT|UTC)?[+-]\d{1,2}:\d{2}|[^:{}]+)\}?:(.*)$/;

/**
 * Fills the date placeholders of a poller URL (spec §4.2) with `since`, the instant the poll
 * looks back to: `${gmtDate:fmt}`, `${date:fmt}`, `${date}`, `${dateTimeZone:zone:fmt}` (also
 * written `${dateTimeZone:{zone}:fmt}`), `${epoch}`, `${epoch:s}`, `${epoch:us}`. Values are
 * URL-encoded, because an offset's `+` would otherwise arrive as a space.
 */
export function fillPlaceholders(url: string, since: number): string {
  return url.replace(PLACEHOLDER, (whole, inner: string) => {
    const value = placeholderValue(inner, since);
    if (value === undefined) throw new Error(`unknown placeholder ${whole} in poller url`);
    return encodeURIComponent(value);
  });
}

function placeholderValue(inner: string, since: number): string | undefined {
  const colon = inner.indexOf(':');
  const name = colon < 0 ? inner : inner.slice(0, colon);
  const argument = colon < 0 ? undefined : inner.slice(colon + 1);
  switch (name) {
    case 'date':
      return formatDate(since, argument || DEFAULT_PATTERN, SERVER_ZONE);
    case 'gmtDate':
      return formatDate(since, argument || DEFAULT_PATTERN, 'GMT');
    case 'dateTimeZone': {
      const match = ZONE_AND_PATTERN.exec(argument ?? '');
      if (!match?.[1]) return undefined;
      return formatDate(since, match[2] || DEFAULT_PATTERN, match[1]);
    }
    case 'epoch':
      return epoch(since, argument);
    default:
      return undefined;
  }
}

function epoch(since: number, unit: string | undefined): string | undefined {
  if (unit === undefined || unit === '' || unit === 'ms') return String(since);
  if (unit === 's') return String(Math.floor(since / 1000));
  if (unit === 'us') return String(since * 1000);
  return undefined;
}
