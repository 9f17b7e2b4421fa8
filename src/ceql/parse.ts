/**
 * Parser for CEQL where clauses (open-connectors-api.md §5.4):
 *
 *   expr      := andExpr ( OR andExpr )*
 *   andExpr   := term ( AND term )*
 *   term      := '(' expr ')' | predicate
 *   predicate := field op value | field [NOT] LIKE string | field [NOT] IN '(' value, … ')'
 *              | field IS [NOT] NULL
 *
 * Recursive descent with one token of lookahead. AND and OR chains are loops, so only nested
 * parentheses recurse, and their depth is capped: the parser never overflows the stack.
 */
import type {
  CeqlLiteral,
  CeqlLogical,
  CeqlNode,
  CeqlPredicate,
  ComparisonOperator,
} from './ast.js';
import { CeqlSyntaxError } from './errors.js';
import { Lexer, type Token } from './lex.js';

export { CeqlSyntaxError } from './errors.js';

/** How deep parentheses may nest; a deeper query is rejected, not run into a stack overflow. */
export const MAX_NESTING = 100;

/** Words with a meaning of their own; a field with such a name must be backticked. */
const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in', 'is', 'null', 'true', 'false']);

const OPERATOR_HINT = '=, !=, <, >, <=, >=, LIKE, IN or IS';

/**
 * Parses a where clause into its syntax tree.
 * @throws CeqlSyntaxError for any input outside the grammar, empty input included; nothing else.
 */
export function parseWhere(input: string): CeqlNode {
  return new Parser(input).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private depth = 0;

  constructor(input: string) {
    this.lexer = new Lexer(input);
    this.token = this.lexer.next();
  }

  parse(): CeqlNode {
    if (this.atEnd()) {
      throw this.fail(`the query is empty; expected a condition such as email = 'a@example.com'`);
    }
    const node = this.orExpr(undefined);
    if (this.atEnd()) return node;
    if (this.isPunct(')')) throw this.fail(`found ')' without a matching '('`);
    throw this.expected('AND, OR or end of input');
  }

  private advance(): Token {
    const current = this.token;
    this.token = this.lexer.next();
    return current;
  }

  private fail(detail: string, position = this.token.position): CeqlSyntaxError {
    return new CeqlSyntaxError(detail, position);
  }

  /** The error for a token other than `what`; `hint` may suggest the fix. */
  private expected(what: string, hint = ''): CeqlSyntaxError {
    return this.fail(`expected ${what} but found ${describe(this.token)}${hint}`);
  }

  private isWord(word: string): boolean {
    return this.token.kind === 'word' && this.token.text.toLowerCase() === word;
  }

  private atEnd(): boolean {
    return this.token.kind === 'end';
  }

  private isPunct(char: '(' | ')' | ','): boolean {
    return this.token.kind === 'punct' && this.token.text === char;
  }

  /** `after` names what came before, for the message when a condition is missing. */
  private orExpr(after: string | undefined): CeqlNode {
    return this.chain('or', after, (previous) => this.andExpr(previous));
  }

  private andExpr(after: string | undefined): CeqlNode {
    return this.chain('and', after, (previous) => this.term(previous));
  }

  /** `operand (keyword operand)*`, collected into one n-ary node when there is more than one. */
  private chain(
    kind: CeqlLogical['kind'],
    after: string | undefined,
    operand: (after: string | undefined) => CeqlNode,
  ): CeqlNode {
    const first = operand(after);
    if (!this.isWord(kind)) return first;

    const operands = [first];
    while (this.isWord(kind)) {
      const keyword = this.advance();
      operands.push(operand(`'${keyword.text}'`));
    }
    return { kind, operands, position: first.position };
  }

  private term(after: string | undefined): CeqlNode {
    if (!this.isPunct('(')) return this.predicate(after);

    const open = this.advance();
    if (++this.depth > MAX_NESTING) {
      throw this.fail(`parentheses are nested deeper than ${MAX_NESTING} levels`, open.position);
    }
    const node = this.orExpr(`'('`);
    if (!this.isPunct(')')) throw this.expected(`')' to close '(' at position ${open.position}`);
    this.advance();
    this.depth--;
    return node;
  }

  private predicate(after: string | undefined): CeqlPredicate {
    const position = this.token.position;
    const field = this.field(after);
    const operator = this.token;

    if (operator.kind === 'operator') {
      this.advance();
      const value = this.value(`after '${operator.text}'`);
      // The lexer only makes operator tokens of the six comparison operators.
      const comparison = operator.text as ComparisonOperator;
      return { kind: 'comparison', field, operator: comparison, value, position };
    }
    if (this.isWord('is')) return this.nullCheck(field, position);

    const negated = this.isWord('not');
    if (negated) this.advance();
    if (this.isWord('like')) return this.like(field, negated, position);
    if (this.isWord('in')) return this.inList(field, negated, position);

    const expected = negated ? 'LIKE or IN' : `an operator (${OPERATOR_HINT})`;
    const before = negated ? 'NOT' : `field '${field}'`;
    throw this.expected(`${expected} after ${before}`);
  }

  private field(after: string | undefined): string {
    const token = this.token;
    const isName = token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase());
    if ((isName || token.kind === 'field') && token.value !== '') return this.advance().value;

    const where = after === undefined ? '' : ` after ${after}`;
    const hint = token.kind === 'word' ? ` (backtick a field named like a keyword)` : '';
    throw this.expected(`a field name or '('${where}`, hint);
  }

  private value(context: string): CeqlLiteral {
    const token = this.token;
    const word = token.kind === 'word' ? token.text.toLowerCase() : undefined;
    if (token.kind === 'string') return literal(this.advance(), token.value);
    if (token.kind === 'number') return literal(this.advance(), Number(token.text));
    if (word === 'true' || word === 'false') return literal(this.advance(), word === 'true');

    const hint = word === 'null' ? ' (write IS NULL to test for null)' : '';
    throw this.expected(`a value ${context}`, hint);
  }

  private nullCheck(field: string, position: number): CeqlPredicate {
    this.advance();
    const negated = this.isWord('not');
    if (negated) this.advance();
    if (!this.isWord('null')) {
      throw this.expected(negated ? 'NULL after IS NOT' : 'NULL or NOT NULL after IS');
    }
    this.advance();
    return { kind: 'null', field, negated, position };
  }

  private like(field: string, negated: boolean, position: number): CeqlPredicate {
    const keyword = this.advance();
    if (this.token.kind !== 'string') {
      throw this.expected(`a quoted pattern after '${keyword.text}'`);
    }
    const pattern = this.advance();
    const value = literal(pattern, pattern.value);
    return { kind: 'like', field, negated, value, position };
  }

  private inList(field: string, negated: boolean, position: number): CeqlPredicate {
    const keyword = this.advance();
    if (!this.isPunct('(')) throw this.expected(`'(' after '${keyword.text}'`);
    this.advance();
    const values = [this.value(`in the ${keyword.text.toUpperCase()} list`)];
    while (this.isPunct(',')) {
      this.advance();
      values.push(this.value(`after ','`));
    }
    if (!this.isPunct(')')) throw this.expected(`',' or ')' in the IN list`);
    this.advance();
    return { kind: 'in', field, negated, values, position };
  }
}

/** A number's `text` is its spelling; a string's is its decoded content. */
function literal(token: Token, value: CeqlLiteral['value']): CeqlLiteral {
  const text = typeof value === 'number' ? token.text : String(value);
  return { value, text, position: token.position };
}

/** A token as quoted in a message; long strings are cut so the message stays readable. */
function describe(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  const text = token.text.length > 30 ? `${token.text.slice(0, 30)}…` : token.text;
  return token.kind === 'string' ? text : `'${text}'`;
}
