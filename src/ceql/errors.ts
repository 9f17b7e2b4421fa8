/**
 * Errors raised while reading `where`, `orderBy` and `fields`. All three are the caller's mistake
 * (HTTP 400); the message is written for the API user and says what was expected.
 */

/** The text does not follow the grammar. `position` is the 0-based offset of the problem. */
export class CeqlSyntaxError extends Error {
  override readonly name = 'CeqlSyntaxError';
  readonly position: number;

  /**
   * @param detail what was expected and what was found
   * @param subject the parameter being read; `query` for a where clause, because existing clients
   *   look for `Error parsing query` in the message of a rejected where clause.
   */
  constructor(detail: string, position: number, subject = 'query') {
    super(`Error parsing ${subject} at position ${position}: ${detail}`);
    this.position = position;
  }
}

/** What a provider cannot express: an unknown field, a missing operator, OR, a second sort key. */
export class CeqlUnsupportedError extends Error {
  override readonly name = 'CeqlUnsupportedError';
  readonly field?: string;
  readonly operator?: string;
  /** What the resource does support, e.g. `since (=, >=, >)` or, for orderBy, `date_created`. */
  readonly supported: string[];

  constructor(message: string, details: UnsupportedDetails) {
    super(message);
    if (details.field !== undefined) this.field = details.field;
    if (details.operator !== undefined) this.operator = details.operator;
    this.supported = details.supported;
  }
}

export interface UnsupportedDetails {
  field?: string;
  operator?: string;
  supported: string[];
}

/** A value of the wrong type for its field, such as `since = 'yesterday'`. */
export class CeqlValueError extends Error {
  override readonly name = 'CeqlValueError';
  readonly field: string;
  readonly value: string;
  /** The expected form, in words, e.g. `true or false`. */
  readonly expected: string;

  constructor(field: string, value: string, expected: string) {
    super(`The where clause value '${value}' for '${field}' is not valid; expected ${expected}`);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
