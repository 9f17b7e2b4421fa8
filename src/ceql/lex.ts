/**
 * Tokens of a CEQL where clause, read one at a time so that errors come in reading order.
 * Each step moves forward through the input, which keeps long queries linear.
 */
import { CeqlSyntaxError } from './errors.js';

/** `word` is a name or keyword (`and`, `a.b.c`); `field` is a backticked name. */
export type TokenKind = 'word' | 'field' | 'string' | 'number' | 'operator' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text, quotes included. */
  text: string;
  /** Decoded content: the string without quotes, the backticked name; otherwise `text`. */
  value: string;
  position: number;
}

// Sticky (`y`) patterns match only at `lastIndex`, so no search ever scans ahead.
const SPACE = /\s+/y;
const WORD = /[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}\p{N}_$]+)*/uy;
const NUMBER = /-?\d+(?:\.\d*)?/y;
const OPERATOR_CHARS = /[=!<>]+/y;
const OPERATORS = new Set(['=', '!=', '<', '>', '<=', '>=']);

/** Reads `input` token by token; `next()` returns an `end` token once the input is used up. */
export class Lexer {
  private offset = 0;

  constructor(private readonly input: string) {}

  next(): Token {
    this.offset = this.after(SPACE) ?? this.offset;
    const start = this.offset;
    const char = this.input[start];
    if (char === undefined) return { kind: 'end', text: '', value: '', position: start };
    if (char === "'" || char === '"') return this.quoted(char, 'string');
    if (char === '`') return this.quoted(char, 'field');
    if (char === '(' || char === ')' || char === ',') return this.take('punct', start + 1);
    return this.word() ?? this.number() ?? this.operator() ?? this.unexpected();
  }

  private unexpected(): never {
    // Whole code point, so an emoji is quoted as itself rather than half a surrogate pair.
    const char = String.fromCodePoint(this.input.codePointAt(this.offset) ?? 0);
    throw new CeqlSyntaxError(`unexpected character '${char}'`, this.offset);
  }

  /** End offset of `pattern` matched at the current offset, or undefined when it does not match. */
  private after(pattern: RegExp): number | undefined {
    pattern.lastIndex = this.offset;
    return pattern.test(this.input) ? pattern.lastIndex : undefined;
  }

  private take(kind: TokenKind, end: number, value?: string): Token {
    const text = this.input.slice(this.offset, end);
    const token = { kind, text, value: value ?? text, position: this.offset };
    this.offset = end;
    return token;
  }

  private word(): Token | undefined {
    const end = this.after(WORD);
    if (end === undefined) return undefined;
    if (this.input[end] === '.') {
      throw new CeqlSyntaxError(`expected a name after '.' in a field path`, end + 1);
    }
    return this.take('word', end);
  }

  private number(): Token | undefined {
    const end = this.after(NUMBER);
    if (end === undefined) return undefined;
    if (this.input[end - 1] === '.') {
      throw new CeqlSyntaxError(`expected digits after the decimal point`, end);
    }
    return this.take('number', end);
  }

  private operator(): Token | undefined {
    const end = this.after(OPERATOR_CHARS);
    if (end === undefined) return undefined;
    const text = this.input.slice(this.offset, end);
    if (!OPERATORS.has(text)) {
      const detail = `unknown operator '${text}'; expected one of ${[...OPERATORS].join(', ')}`;
      throw new CeqlSyntaxError(detail, this.offset);
    }
    return this.take('operator', end);
  }

  /** A string or backticked name. A quote character written twice stands for itself. */
  private quoted(quote: string, kind: 'string' | 'field'): Token {
    const parts: string[] = [];
    let from = this.offset + 1;
    for (;;) {
      const close = this.input.indexOf(quote, from);
      if (close < 0) throw unterminated(quote, kind, this.offset);
      parts.push(this.input.slice(from, close));
      if (this.input[close + 1] !== quote) return this.take(kind, close + 1, parts.join(''));
      parts.push(quote);
      from = close + 2;
    }
  }
}

function unterminated(quote: string, kind: 'string' | 'field', position: number): CeqlSyntaxError {
  const what = kind === 'string' ? 'string' : 'backticked field name';
  return new CeqlSyntaxError(`unterminated ${what}; expected a closing quote (${quote})`, position);
}

