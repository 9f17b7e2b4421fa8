import type { CeqlNode } from './ast.js';
import { parseWhere } from './parse.js';

/** One term of an all-equalities `where`: the field and the values it may equal. */
export interface Equality {
  field: string;
  values: string[];
}

/**
 * Reads a `where` made only of `field = value` and `field IN (…)` terms joined by AND, the
 * shape the platform's list filters accept. Any other term (OR, NOT IN, <, LIKE, …) is refused
 * with `refuse`, which names what the caller's filter does take.
 */
export function equalities(where: string, refuse: (detail: string) => Error): Equality[] {
  return conjuncts(parseWhere(where)).map((node) => {
    const field = 'field' in node ? node.field : '';
    if (node.kind === 'comparison' && node.operator === '=') return { field, values: [String(node.value.value)] };
    if (node.kind === 'in' && !node.negated) return { field, values: node.values.map((v) => String(v.value)) };
    throw refuse(`${node.kind === 'or' ? 'OR' : field} is not supported here`);
  });
}

function conjuncts(node: CeqlNode): CeqlNode[] {
  return node.kind === 'and' ? node.operands.flatMap(conjuncts) : [node];
}
