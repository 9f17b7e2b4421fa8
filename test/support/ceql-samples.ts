import type { FilterDefinition } from '../../src/elements/schema.js';

/** A clause that exercises one declared filter with one of its operators. */
export function sampleClause(filter: FilterDefinition, operator: string): string {
  const text = filter.values?.[0] ?? "ab''c";
  const value = { date: "'2024-06-03T22:17:59.039Z'", number: '7', boolean: 'true', string: `'${text}'` }[filter.type];
  if (operator === 'like') return `${filter.field} LIKE 'ab%'`;
  if (operator === 'in') return `${filter.field} IN (${value}, ${value})`;
  if (operator === 'is null' || operator === 'is not null') return `${filter.field} ${operator.toUpperCase()}`;
  return `${filter.field} ${operator} ${value}`;
}

