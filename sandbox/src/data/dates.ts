/**
 * Date text as Keap REST v1 writes and reads it (keap.md §3.1, §9.10).
 *
 * Responses use `yyyy-MM-dd'T'HH:mm:ss.SSS+0000` (numeric offset without a colon); query
 * parameters take ISO-8601 with `Z` or an offset, with or without fractional seconds.
 */

export const DAY_MS = 86_400_000;

/** `2024-11-07T20:35:13.000+0000` */
export function formatV1Date(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatV1DateOrNull(ms: number | null): string | null {
  return ms === null ? null : formatV1Date(ms);
}

/** `2024-11-07`, for Keap's LocalDate fields (subscriptions, payment plans). */
export function formatLocalDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO-8601 date-time with a zone designator into epoch ms (fractions beyond
 * milliseconds are truncated), or returns undefined when the text is not one. A `+` that was
 * not percent-encoded arrives as a space and is rejected, as Keap rejects it.
 */
export function parseIsoDateTime(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;

  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number, number, number, number, number, number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, millis);

  // Date.UTC rolls invalid fields over (month 13, hour 25); a round trip catches that.
  const check = new Date(local);
  const valid =
    check.getUTCFullYear() === y &&
    check.getUTCMonth() === mo - 1 &&
    check.getUTCDate() === d &&
    check.getUTCHours() === h &&
    check.getUTCMinutes() === mi &&
    check.getUTCSeconds() === s;
  const offset = zoneOffsetMinutes(zone);
  if (!valid || offset === undefined) return undefined;

  return local - offset * 60_000;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 18 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}
