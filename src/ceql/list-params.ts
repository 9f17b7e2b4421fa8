/**
 * The list query parameters besides `where` (open-connectors-api.md §5.3): `orderBy`, translated
 * to Keap-style `order`/`order_direction`, and `fields`.
 */
import { CeqlSyntaxError, CeqlUnsupportedError } from './errors.js';

/** Keap's (and our) spelling of a sort direction. */
export interface OrderParams {
  order: string;
  order_direction?: 'ascending' | 'descending';
}

const DIRECTIONS = { asc: 'ascending', desc: 'descending' } as const;

/**
 * Translates `orderBy` (`field [asc|desc]`, comma-separated) for a provider that sorts by one
 * field. `allowed` maps the field the caller writes to the provider's `order` value. The
 * direction is returned only when written; a caller whose list has no `order_direction` drops it.
 * @throws CeqlSyntaxError for text that is not `field [asc|desc]`
 * @throws CeqlUnsupportedError for more than one field, or a field not in `allowed`
 */
export function translateOrderBy(
  orderBy: string,
  allowed: Record<string, string>,
  resource?: string,
): OrderParams {
  const keys = commaGroups(orderBy).map(sortKey);
  const supported = Object.keys(allowed);
  const refuse = (reason: string, details: { field?: string }) => {
    const message = `The orderBy ${reason}. Supported: ${supported.join(', ') || 'none'}`;
    return new CeqlUnsupportedError(message, { ...details, supported });
  };
  const sort = resource === undefined ? 'sort' : `sort ${resource}`;

  const [key] = keys;
  if (key === undefined || keys.length > 1) {
    throw refuse(`can ${sort} by one field only, but ${keys.length} were given`, {});
  }
  const order = Object.hasOwn(allowed, key.field) ? allowed[key.field] : undefined;
  if (order === undefined) throw refuse(`cannot ${sort} by '${key.field}'`, { field: key.field });
  return key.direction ? { order, order_direction: key.direction } : { order };
}

function sortKey(group: CommaGroup): { field: string; direction?: OrderParams['order_direction'] } {
  const [field, direction, extra] = group.words;
  if (field === undefined) throw new CeqlSyntaxError('expected a field name', group.end, 'orderBy');
  if (direction === undefined) return { field: field.text };

  const name = direction.text.toLowerCase();
  if (name !== 'asc' && name !== 'desc') {
    const detail = `expected ASC or DESC after '${field.text}' but found '${direction.text}'`;
    throw new CeqlSyntaxError(detail, direction.position, 'orderBy');
  }
  if (extra !== undefined) {
    const found = `'${extra.text}'`;
    const detail = `expected ',' or end of input after '${direction.text}' but found ${found}`;
    throw new CeqlSyntaxError(detail, extra.position, 'orderBy');
  }
  return { field: field.text, direction: DIRECTIONS[name] };
}

/**
 * Reads `fields` (comma-separated names, dot paths allowed) into a list without duplicates.
 * Empty entries, as in `a,,b`, are skipped.
 * @throws CeqlSyntaxError when two names are separated by a space instead of a comma
 */
export function parseFields(fields: string): string[] {
  const names = new Set<string>();
  for (const { words } of commaGroups(fields)) {
    const [name, extra] = words;
    if (extra !== undefined) {
      const detail = `expected ',' after '${name?.text}' but found '${extra.text}'`;
      throw new CeqlSyntaxError(detail, extra.position, 'fields');
    }
    if (name !== undefined) names.add(name.text);
  }
  return [...names];
}

interface CommaGroup {
  words: { text: string; position: number }[];
  /** Offset of the comma, or end of input, that closes the group. */
  end: number;
}

/** Splits on commas into groups of whitespace-separated words, keeping offsets for errors. */
function commaGroups(text: string): CommaGroup[] {
  const groups: CommaGroup[] = [];
  let words: CommaGroup['words'] = [];
  for (const match of text.matchAll(/[^\s,]+|,/g)) {
    if (match[0] !== ',') {
      words.push({ text: match[0], position: match.index });
      continue;
    }
    groups.push({ words, end: match.index });
    words = [];
  }
  groups.push({ words, end: text.length });
  return groups;
}
