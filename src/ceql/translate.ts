/**
 * Turns a parsed where clause into a provider's list query parameters, following per-resource
 * declarations supplied by element definitions. It re-exports the readers of `orderBy` and
 * `fields` (§5.3) from list-params.ts, so callers import all list parameters from one place.
 *
 * Query parameters can only narrow a list, each one further, so a where clause translates only
 * when it is a conjunction (AND) of conditions the resource declares. Anything else is refused
 * with an error listing what the resource does support, rather than silently ignored.
 *
 * The optional `resource` argument (e.g. `orders`) only makes messages read better; it is left
 * out of them when not given.
 */
import { isLogical, type CeqlLiteral, type CeqlNode, type CeqlPredicate } from './ast.js';
import { DATE_FORMAT, toUtcMillis } from './date.js';
import { CeqlUnsupportedError, CeqlValueError } from './errors.js';

export { parseFields, translateOrderBy, type OrderParams } from './list-params.js';

/** Operators a declaration may accept. NOT LIKE and NOT IN cannot be declared. */
export type CeqlOperator =
  | '=' | '!=' | '<' | '>' | '<=' | '>=' | 'like' | 'in' | 'is null' | 'is not null';

/**
 * One way a resource can be filtered. The same `field` may appear in several declarations with
 * different operators, e.g. `modification_date` with `>=` → `since` and with `<` → `until`.
 */
export interface FilterDeclaration {
  /** The CEQL field name the caller writes, e.g. `since`, `email`, `modification_date`. */
  field: string;
  /** The provider query parameter it becomes, e.g. `since`. */
  param: string;
  operators: CeqlOperator[];
  /** How the value is checked and formatted; `string` (the default) passes it as written. */
  type?: 'string' | 'number' | 'boolean' | 'date';
}

/**
 * Translates `where` into query parameters. Values are formatted by the declaration's type:
 * dates to UTC with milliseconds, booleans to `true`/`false`, numbers as written. IN sends its
 * values joined by commas (so none may hold one). IS NOT NULL sends `true` and IS NULL `false`,
 * which suits presence parameters such as Keap's `has_due_date`.
 * @throws CeqlUnsupportedError for OR, NOT LIKE/IN, an undeclared field or operator, or two
 *   conditions that set the same parameter
 * @throws CeqlValueError for a value that does not fit the declared type
 */
export function translateWhere(
  where: CeqlNode,
  filters: FilterDeclaration[],
  resource?: string,
): Record<string, string> {
  const params: Record<string, string> = {};
  const refuse = (reason: string, details: { field?: string; operator?: string }) => {
    const supported = describeFilters(filters);
    const list = supported.join(', ') || 'none';
    const message = `The where clause cannot filter${on(resource)} ${reason}. Supported: ${list}`;
    return new CeqlUnsupportedError(message, { ...details, supported });
  };

  for (const predicate of conjuncts(where, () => refuse('with OR', { operator: 'or' }))) {
    const { field } = predicate;
    const operator = operatorOf(predicate);
    const declared = findDeclaration(filters, field, operator);
    const condition = `by '${field}' with '${operator}'`;
    if (!declared) throw refuse(condition, { field, operator });
    if (Object.hasOwn(params, declared.param)) {
      const reason = `${condition}: '${declared.param}' is already set by another condition`;
      throw refuse(reason, { field, operator });
    }
    params[declared.param] = formatPredicate(predicate, declared);
  }
  return params;
}

function findDeclaration(filters: FilterDeclaration[], field: string, operator: string) {
  return filters.find((f) => f.field === field && f.operators.some((o) => o === operator));
}

/** The conditions of a conjunction, in order; `onOr` supplies the error when there is an OR. */
function conjuncts(node: CeqlNode, onOr: () => Error): CeqlPredicate[] {
  if (!isLogical(node)) return [node];
  if (node.kind === 'or') throw onOr();
  return node.operands.flatMap((operand) => conjuncts(operand, onOr));
}

function operatorOf(predicate: CeqlPredicate): string {
  if (predicate.kind === 'comparison') return predicate.operator;
  if (predicate.kind === 'null') return predicate.negated ? 'is not null' : 'is null';
  return predicate.negated ? `not ${predicate.kind}` : predicate.kind;
}

function formatPredicate(predicate: CeqlPredicate, declared: FilterDeclaration): string {
  switch (predicate.kind) {
    case 'null':
      return String(predicate.negated);
    case 'in':
      return predicate.values.map((value) => formatListItem(value, declared)).join(',');
    default:
      return formatValue(predicate.value, declared);
  }
}

/** IN values travel as one comma-separated parameter, so a value may not hold a comma itself. */
function formatListItem(literal: CeqlLiteral, declared: FilterDeclaration): string {
  const text = formatValue(literal, declared);
  if (text.includes(',')) throw new CeqlValueError(declared.field, text, 'a value without commas');
  return text;
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** Checks a literal against the declared type; quoted numbers and booleans are accepted. */
function formatValue(literal: CeqlLiteral, declared: FilterDeclaration): string {
  const { value, text } = literal;
  const invalid = (expected: string) => new CeqlValueError(declared.field, text, expected);
  switch (declared.type) {
    case 'date': {
      const date = typeof value === 'string' ? toUtcMillis(value) : undefined;
      if (date === undefined) throw invalid(DATE_FORMAT);
      return date;
    }
    case 'number':
      if (typeof value === 'boolean' || !NUMBER.test(text)) throw invalid('a number such as 42');
      return text;
    case 'boolean':
      if (typeof value === 'number' || !/^(?:true|false)$/i.test(text)) {
        throw invalid('true or false');
      }
      return text.toLowerCase();
    default:
      return text;
  }
}

/** `since (=, >=, >)` per field, operators of repeated declarations merged, in declared order. */
function describeFilters(filters: FilterDeclaration[]): string[] {
  const byField = new Map<string, Set<string>>();
  for (const { field, operators } of filters) {
    const known = byField.get(field) ?? new Set<string>();
    operators.forEach((operator) => known.add(operator));
    byField.set(field, known);
  }
  return [...byField].map(([field, operators]) => `${field} (${[...operators].join(', ')})`);
}

function on(resource: string | undefined): string {
  return resource === undefined ? '' : ` ${resource}`;
}
