/**
 * CEQL, the where-clause language of the Open Connectors API (open-connectors-api.md §5.4), and
 * the other list query parameters: parse them, then translate them to a provider's parameters.
 */
export type * from './ast.js';
export { CeqlSyntaxError, CeqlUnsupportedError, CeqlValueError } from './errors.js';
export { MAX_NESTING, parseWhere } from './parse.js';
export { equalities, type Equality } from './equalities.js';
export {
  parseFields,
  translateOrderBy,
  translateWhere,
  type CeqlOperator,
  type FilterDeclaration,
  type OrderParams,
} from './translate.js';
