/**
 * REST v1 `limit`/`offset` paging and its list envelope, quirks included (keap.md §3.1, §9.9):
 *
 * - `count` is the number of matching records, not the page size;
 * - `next` is always present, even on the last page, and past the end the array is simply
 *   empty, so clients must stop on an empty page;
 * - `next` advances `offset` by the requested limit, but its `limit` echoes `count`;
 * - `next` and `previous` are absolute URLs (with a slash before `?`) rebuilt from the
 *   request's parameters minus `optional_properties`, which callers must add back.
 */
import type { FastifyRequest } from 'fastify';
import { queryInt, type RawQuery } from './query.js';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 1000;

/** Parameters never copied into `next`/`previous`. The token is left out so links don't leak it. */
const NOT_CARRIED = new Set(['limit', 'offset', 'optional_properties', 'access_token']);

export interface Page {
  limit: number;
  offset: number;
}

/** A missing or zero `limit` means the default; larger ones are capped silently. */
export function readPage(query: RawQuery): Page {
  const limit = queryInt(query, 'limit') ?? 0;
  const offset = queryInt(query, 'offset') ?? 0;
  return { limit: limit === 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT), offset };
}

export function pageOf<T>(rows: readonly T[], page: Page): T[] {
  return rows.slice(page.offset, page.offset + page.limit);
}

/** `{"<plural>": [...], "count", "next", "previous"}` for one page of `matching`. */
export function listEnvelope<T>(
  request: FastifyRequest,
  plural: string,
  matching: readonly T[],
  project: (row: T) => unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const page = readPage(request.query as RawQuery);
  const count = matching.length;
  return {
    [plural]: pageOf(matching, page).map(project),
    count,
    next: link(request, count, page.offset + page.limit),
    previous: link(request, page.limit, Math.max(0, page.offset - page.limit)),
    ...extra,
  };
}

function link(request: FastifyRequest, limit: number, offset: number): string {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : request.url.slice(queryStart + 1);

  const kept = [...new URLSearchParams(query)].filter(([name]) => !NOT_CARRIED.has(name));
  const pairs: [string, string][] = [['limit', String(limit)], ['offset', String(offset)], ...kept];
  const search = pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  const slashed = path.endsWith('/') ? path : `${path}/`;
  return `${request.protocol}://${request.host}${slashed}?${search}`;
}

/** Percent-encoding that leaves `:` and `,` readable, as Keap's links do for dates and lists. */
function encode(value: string): string {
  return encodeURIComponent(value).replaceAll('%3A', ':').replaceAll('%2C', ',');
}
