/**
 * The syntax tree of a CEQL `where` clause (open-connectors-api.md §5.4).
 *
 * Every node carries `position`, the 0-based offset in the source where it starts, so later
 * stages can point at the part of the query they reject.
 */

/** The six comparison operators written between a field and a value. */
export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** A literal as the caller wrote it. */
export interface CeqlLiteral {
  /** Decoded value: a string without its quotes (`''` read as `'`), a number, a boolean. */
  value: string | number | boolean;
  /**
   * The value as text. For numbers this is the source spelling, kept because a provider should get
   * `1.50` or an int64 id such as `9007199254740993` exactly as written, not as a rounded double.
   */
  text: string;
  position: number;
}

/** Conditions joined by AND or OR. A chain `a AND b AND c` is one node with three operands. */
export interface CeqlLogical {
  kind: 'and' | 'or';
  operands: CeqlNode[];
  position: number;
}

/** `field op value`. `field` is a dotted path (`address.city`) or a backticked name as written. */
export interface CeqlComparison {
  kind: 'comparison';
  field: string;
  operator: ComparisonOperator;
  value: CeqlLiteral;
  position: number;
}

/** `field [NOT] LIKE 'pattern'`; `%` is the wildcard and is left in the pattern. */
export interface CeqlLike {
  kind: 'like';
  field: string;
  negated: boolean;
  value: CeqlLiteral;
  position: number;
}

/** `field [NOT] IN (v1, v2, …)`, with at least one value. */
export interface CeqlIn {
  kind: 'in';
  field: string;
  negated: boolean;
  values: CeqlLiteral[];
  position: number;
}

/** `field IS NULL` or, with `negated`, `field IS NOT NULL`. */
export interface CeqlNullCheck {
  kind: 'null';
  field: string;
  negated: boolean;
  position: number;
}

/** Any node of a parsed where clause. */
export type CeqlNode = CeqlLogical | CeqlComparison | CeqlLike | CeqlIn | CeqlNullCheck;

/** A node that tests one field, as opposed to one that joins conditions. */
export type CeqlPredicate = Exclude<CeqlNode, CeqlLogical>;

/** Tells a node that joins conditions from one that tests a field. */
export function isLogical(node: CeqlNode): node is CeqlLogical {
  return node.kind === 'and' || node.kind === 'or';
}
