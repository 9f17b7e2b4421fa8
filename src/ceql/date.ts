/**
 * ISO-8601 date-times in where clauses. Callers may write any offset; providers such as Keap want
 * `since`/`until` in UTC with milliseconds (`2017-01-01T22:17:59.039Z`), so values are normalised.
 */

// An offset is required: a time without one could mean any zone, and guessing shifts results.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** How a date must be written, for error messages. */
export const DATE_FORMAT =
  'an ISO-8601 date-time with Z or an offset, ' +
  'e.g. 2018-01-15T00:00:00.000Z or 2018-01-15T00:00:00-07:00';

/**
 * Converts an ISO-8601 date-time with `Z`, `±hh:mm` or `±hhmm` to UTC with milliseconds.
 * Digits beyond milliseconds are truncated. Returns undefined for anything else, including
 * impossible dates such as February 30.
 */
export function toUtcMillis(text: string): string | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [, , , , , , , fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = match;
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(offsetMinutes) > 59) return undefined;

  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * (sign === '-' ? -1 : 1);
  return new Date(date.getTime() - offset * 60_000).toISOString();
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
