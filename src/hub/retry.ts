import type { IncomingHttpHeaders } from 'node:http';
import type { Element } from '../elements/schema.js';

type QuotaHeaders = NonNullable<Element['provider']['quota']['headers']>;

/** What a 429 asks of us: wait `ms`; `day` when the provider's daily quota is spent. */
export interface RetryAdvice {
  ms: number;
  day: boolean;
}

/**
 * How long to wait after a 429: `Retry-After` when the provider sent it (keap.md §4 says it
 * is not guaranteed), else what its quota headers say (daily quota spent: until the reset;
 * minute quota spent: until the next minute), else exponential backoff with jitter.
 */
export function retryAdvice(
  headers: IncomingHttpHeaders,
  attempt: number,
  now: number,
  quota: QuotaHeaders | undefined,
): RetryAdvice {
  const dayResetsAt = dailyQuotaSpentUntil(headers, quota);
  const retryAfter = retryAfterMs(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return { ms: retryAfter, day: dayResetsAt !== undefined };
  if (dayResetsAt !== undefined) return { ms: Math.max(0, dayResetsAt - now), day: true };
  if (quota && header(headers, quota.minuteAvailable) === '0') {
    return { ms: 60_000 - (now % 60_000) + jitter(250), day: false };
  }
  const base = 250 * 2 ** (attempt - 1);
  return { ms: base + jitter(base), day: false };
}

/** The reset time when the provider reports its daily quota spent (on any response). */
export function dailyQuotaSpentUntil(
  headers: IncomingHttpHeaders,
  quota: QuotaHeaders | undefined,
): number | undefined {
  if (!quota || header(headers, quota.dayAvailable) !== '0') return undefined;
  const resetsAt = Number(header(headers, quota.dayResetsAt));
  return Number.isFinite(resetsAt) && resetsAt > 0 ? resetsAt : undefined;
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function jitter(max: number): number {
  return Math.floor(Math.random() * max);
}
