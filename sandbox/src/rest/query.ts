/**
 * Reading REST v1 query parameters. A value Keap could not convert is a 400 with a message
 * naming the parameter and what was expected; an empty value counts as absent, as it does for
 * Keap's (Spring) parameter binding.
 */
import { parseIsoDateTime } from '../data/dates.js';
import { badRequest } from '../errors.js';

export type RawQuery = Readonly<Record<string, unknown>>;

/** The first value of a parameter given once or repeated; undefined when absent or empty. */
export function queryText(query: RawQuery, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function queryInt(query: RawQuery, name: string, min = 0): number | undefined {
  const value = queryText(query, name);
  if (value === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw invalid(name, value, 'an integer');

  const number = Number(value);
  if (number < min) throw invalid(name, value, `an integer of at least ${min}`);
  return number;
}

export function queryBoolean(query: RawQuery, name: string): boolean | undefined {
  const value = queryText(query, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalid(name, value, 'true or false');
}

/** An ISO-8601 date-time with `Z` or an offset, as epoch ms. */
export function queryDate(query: RawQuery, name: string): number | undefined {
  const value = queryText(query, name);
  if (value === undefined) return undefined;
  const ms = parseIsoDateTime(value);
  if (ms === undefined) {
    throw invalid(name, value, "an ISO-8601 date-time such as '2017-01-01T22:17:59.039Z'");
  }
  return ms;
}

/** One of `allowed`, compared case-insensitively and returned in its canonical spelling. */
export function queryChoice<T extends string>(
  query: RawQuery,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = queryText(query, name);
  if (value === undefined) return undefined;
  const match = allowed.find((choice) => choice.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw invalid(name, value, `one of ${allowed.join(', ')}`);
  return match;
}

/** A comma-separated list, trimmed, without empty entries. */
export function queryList(query: RawQuery, name: string): string[] {
  const value = queryText(query, name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A numeric record id from the path; Keap's ids are int64. */
export function pathId(raw: string, noun: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw badRequest(`Invalid ${noun} id '${raw}': expected an integer`);
  return Number(raw);
}

function invalid(name: string, value: string, expected: string) {
  return badRequest(`Invalid value '${value}' for query parameter '${name}': expected ${expected}`);
}
