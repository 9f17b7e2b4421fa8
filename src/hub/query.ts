import {
  parseFields,
  parseWhere,
  translateOrderBy,
  translateWhere,
  CeqlUnsupportedError,
  CeqlValueError,
} from '../ceql/index.js';
import type { OperationDefinition } from '../elements/schema.js';

type Query = Record<string, string | undefined>;

/**
 * The vendor query parameters of a hub call: its `where` and `orderBy` translated through the
 * operation's declarations, and the vendor parameters the operation lets pass through.
 * Throws the CEQL errors, which the error handler answers with 400.
 */
export function vendorQuery(operation: OperationDefinition, query: Query, resource: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of operation.query) {
    const value = query[name];
    if (value !== undefined) params[name] = value;
  }
  if (query['where']?.trim()) {
    const translated = translateWhere(parseWhere(query['where']), operation.filters, resource);
    checkValues(operation, translated);
    Object.assign(params, translated);
  }
  if (query['orderBy']?.trim()) Object.assign(params, vendorOrder(operation, query['orderBy'], resource));
  return params;
}

/** Refuses, before calling the vendor, a value outside a filter's fixed set. */
function checkValues(operation: OperationDefinition, params: Record<string, string>): void {
  for (const filter of operation.filters) {
    const value = params[filter.param];
    if (filter.values && value !== undefined && !filter.values.includes(value)) {
      throw new CeqlValueError(filter.field, value, `one of ${filter.values.join(', ')}`);
    }
  }
}

function vendorOrder(operation: OperationDefinition, orderBy: string, resource: string): Record<string, string> {
  const { order, order_direction: direction } = translateOrderBy(orderBy, operation.orderBy, resource);
  const params: Record<string, string> = { [operation.orderParam]: order };
  if (direction && operation.directionParam) params[operation.directionParam] = direction;
  else if (direction === 'descending') {
    throw new CeqlUnsupportedError(
      `The provider cannot sort ${resource} in descending order; supported: ascending only`,
      { operator: 'desc', supported: ['asc'] },
    );
  }
  return params;
}

/** The `fields` the caller wants, or undefined for all. */
export function requestedFields(query: Query): string[] | undefined {
  const fields = query['fields']?.trim();
  return fields ? parseFields(fields) : undefined;
}

/** Keeps only the given dot paths of a record (`address.countryCode`). */
export function project(record: unknown, fields: string[]): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const out: Record<string, unknown> = {};
  for (const path of fields) copyPath(record as Record<string, unknown>, out, path.split('.'));
  return out;
}

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || !(head in from)) return;
  const value = from[head];
  if (rest.length === 0) {
    to[head] = value;
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const child = (to[head] ??= {}) as Record<string, unknown>;
  copyPath(value as Record<string, unknown>, child, rest);
}
