import { apiError } from '../http/errors.js';

export interface PageRequest {
  page: number;
  pageSize: number;
  /** Set when the caller asked for more than the element allows. */
  warning?: string;
}

interface PageQuery {
  page?: string | undefined;
  pageSize?: string | undefined;
  nextPage?: string | undefined;
}

/**
 * Reads `page`, `pageSize` and `nextPage` (spec §5.2). A `nextPage` token is base64url of
 * `{"page":p,"pageSize":n}`: opaque to clients, decodable by us, valid on any process.
 */
export function readPageRequest(query: PageQuery, max: number): PageRequest {
  if (query.nextPage) return decodeToken(query.nextPage, max);
  const page = positive(query.page, 'page') ?? 1;
  const asked = positive(query.pageSize, 'pageSize') ?? max;
  if (asked > max) {
    return {
      page,
      pageSize: max,
      warning: `pageSize ${asked} is larger than this instance's pagination.max; returning ${max}`,
    };
  }
  return { page, pageSize: asked };
}

export function encodeToken(page: number, pageSize: number): string {
  return Buffer.from(JSON.stringify({ page, pageSize })).toString('base64url');
}

/**
 * Whether another page follows. With a total count it is exact; without one, a full page
 * may be followed by an empty one. Never trusts the vendor's `next` link (Keap sends it
 * even on the last page).
 */
export function hasNextPage(request: PageRequest, returned: number, total: number | undefined): boolean {
  if (returned === 0) return false;
  if (total !== undefined) return (request.page - 1) * request.pageSize + returned < total;
  return returned >= request.pageSize;
}

function decodeToken(token: string, max: number): PageRequest {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const { page, pageSize } = parsed as { page?: unknown; pageSize?: unknown };
    if (isPositiveInt(page) && isPositiveInt(pageSize)) {
      return { page, pageSize: Math.min(pageSize, max) };
    }
  } catch {
    // fall through to the error below
  }
  throw apiError('hub.paging-invalid', {
    detail: 'nextPage is not a token this API issued; pass the Elements-Next-Page-Token of the previous page',
  });
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!isPositiveInt(n)) {
    throw apiError('hub.paging-invalid', { detail: `${name} must be a whole number of 1 or more, not '${value}'` });
  }
  return n;
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
}
