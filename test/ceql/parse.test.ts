import { describe, expect, it } from 'vitest';
import { CeqlSyntaxError, MAX_NESTING, parseWhere } from '../../src/ceql/parse.js';

/** The error parseWhere throws for `input`, failing the test when it parses. */
function syntaxError(input: string): CeqlSyntaxError {
  try {
    parseWhere(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CeqlSyntaxError);
    return error as CeqlSyntaxError;
  }
  throw new Error(`expected '${input}' to be rejected`);
}

describe('parseWhere: predicates', () => {
  it.each(['=', '!=', '<', '>', '<=', '>='] as const)('reads the comparison %s', (operator) => {
    expect(parseWhere(`amount ${operator} 10`)).toEqual({
      kind: 'comparison',
      field: 'amount',
      operator,
      value: { value: 10, text: '10', position: 8 + operator.length },
      position: 0,
    });
  });

  it('reads LIKE and NOT LIKE with the % wildcard kept', () => {
    expect(parseWhere("name like 'Acc%'")).toMatchObject({
      kind: 'like', field: 'name', negated: false, value: { value: 'Acc%' },
    });
    expect(parseWhere("name NOT LIKE '%x'")).toMatchObject({ kind: 'like', negated: true });
  });

  it('reads IN and NOT IN lists of mixed values', () => {
    const node = parseWhere("id in (1, 'two', true)");
    expect(node).toMatchObject({ kind: 'in', field: 'id', negated: false });
    expect(node.kind === 'in' && node.values.map((v) => v.value)).toEqual([1, 'two', true]);
    expect(parseWhere('id Not In (3)')).toMatchObject({ kind: 'in', negated: true });
  });

  it('reads IS NULL and IS NOT NULL', () => {
    expect(parseWhere('email is null')).toEqual({
      kind: 'null', field: 'email', negated: false, position: 0,
    });
    expect(parseWhere('email IS NOT NULL')).toMatchObject({ kind: 'null', negated: true });
  });
});

describe('parseWhere: values', () => {
  const valueOf = (input: string) => {
    const node = parseWhere(input);
    return node.kind === 'comparison' ? node.value : undefined;
  };

  it('turns a doubled single quote into one quote', () => {
    expect(valueOf("last_name = 'O''Brien'")?.value).toBe("O'Brien");
    expect(valueOf("a = ''''")?.value).toBe("'");
    expect(valueOf("a = ''")?.value).toBe('');
  });

  it('reads double-quoted strings, as bulk queries write them', () => {
    expect(valueOf('display_name = "X Corp"')?.value).toBe('X Corp');
    expect(valueOf('a = "say ""hi"" it\'s"')?.value).toBe('say "hi" it\'s');
  });

  it('reads negative and decimal numbers and keeps their spelling', () => {
    expect(valueOf('a = -12')).toMatchObject({ value: -12, text: '-12' });
    expect(valueOf('a = 1.50')).toMatchObject({ value: 1.5, text: '1.50' });
    expect(valueOf('id = 9007199254740993')?.text).toBe('9007199254740993');
  });

  it('reads booleans in any case', () => {
    expect(valueOf('active = true')?.value).toBe(true);
    expect(valueOf('active = FALSE')).toMatchObject({ value: false, text: 'false' });
  });

  it('keeps special characters inside strings as they are', () => {
    expect(valueOf("q = 'a and b or (c)'")?.value).toBe('a and b or (c)');
  });
});

describe('parseWhere: fields', () => {
  const fieldOf = (input: string) => {
    const node = parseWhere(input);
    return 'field' in node ? node.field : undefined;
  };

  it('reads dotted paths and backticked names as one field', () => {
    expect(fieldOf("address.countryCode = 'US'")).toBe('address.countryCode');
    expect(fieldOf("`metaData.lastUpdateTime` > '2018-01-15T00:00:00Z'")).toBe(
      'metaData.lastUpdateTime',
    );
    expect(fieldOf('`first name` = 1')).toBe('first name');
    expect(fieldOf('`and` = 1')).toBe('and');
  });

  it('allows value and order as field names', () => {
    expect(parseWhere("value = 'x' and order = 2")).toMatchObject({
      kind: 'and',
      operands: [{ field: 'value' }, { field: 'order' }],
    });
  });
});

describe('parseWhere: structure', () => {
  it('binds AND tighter than OR', () => {
    expect(parseWhere('a=1 or b=2 and c=3')).toMatchObject({
      kind: 'or',
      position: 0,
      operands: [
        { field: 'a' },
        { kind: 'and', position: 7, operands: [{ field: 'b' }, { field: 'c' }] },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseWhere('(a=1 or b=2) and c=3')).toMatchObject({
      kind: 'and',
      operands: [{ kind: 'or', position: 1 }, { field: 'c', position: 17 }],
    });
  });

  it('collects a chain of one keyword into one node', () => {
    const node = parseWhere('a=1 AND b=2 and c=3 And d=4');
    expect(node.kind === 'and' && node.operands).toHaveLength(4);
  });

  it('accepts any whitespace, or none, between tokens', () => {
    const tight = parseWhere("a='x'and(b>=2)");
    expect(parseWhere("\n\t a \t= 'x'\r\n and ( b >= 2 ) ")).toMatchObject({
      kind: 'and',
      operands: [{ field: 'a', value: { value: 'x' } }, { field: 'b', operator: '>=' }],
    });
    expect(tight).toMatchObject({ kind: 'and', operands: [{ field: 'a' }, { field: 'b' }] });
  });

  it(`accepts ${MAX_NESTING} levels of parentheses`, () => {
    const input = `${'('.repeat(MAX_NESTING)}a=1${')'.repeat(MAX_NESTING)}`;
    expect(parseWhere(input)).toMatchObject({ field: 'a', position: MAX_NESTING });
  });

  it('parses a very long conjunction in linear time', () => {
    const input = Array.from({ length: 50_000 }, (_, i) => `f${i} = '${i}'`).join(' and ');
    const node = parseWhere(input);
    expect(node.kind === 'and' && node.operands).toHaveLength(50_000);
  });
});

describe('parseWhere: errors', () => {
  it.each([
    ['', 0, 'the query is empty'],
    ['   ', 3, 'the query is empty'],
    ["name = 'O''Brien", 7, 'unterminated string'],
    ['`meta.x = 1', 0, 'unterminated backticked field name'],
    ['modified_date=', 14, "expected a value after '=' but found end of input"],
    ['a = and b = 1', 4, "expected a value after '=' but found 'and'"],
    ['a = null', 4, 'write IS NULL'],
    ['a = 1 and', 9, "expected a field name or '(' after 'and' but found end of input"],
    ['a = 1 or and b = 2', 9, "after 'or' but found 'and'"],
    ['(a = 1', 6, "expected ')' to close '(' at position 0 but found end of input"],
    ['a = 1)', 5, "found ')' without a matching '('"],
    ['()', 1, "after '(' but found ')'"],
    ['a == 1', 2, "unknown operator '=='"],
    ['a <> 1', 2, "unknown operator '<>'"],
    ['a ~ 1', 2, "unexpected character '~'"],
    ['a = 1 😀', 6, "unexpected character '😀'"],
    ['a 1', 2, "expected an operator (=, !=, <, >, <=, >=, LIKE, IN or IS) after field 'a'"],
    ['a not = 1', 6, "expected LIKE or IN after NOT but found '='"],
    ['a like 5', 7, "expected a quoted pattern after 'like' but found '5'"],
    ['a in 1', 5, "expected '(' after 'in'"],
    ['a in ()', 6, 'expected a value in the IN list'],
    ['a in (1,)', 8, "expected a value after ','"],
    ['a in (1 2)', 8, "expected ',' or ')' in the IN list"],
    ['a is 1', 5, 'expected NULL or NOT NULL after IS'],
    ['a is not 1', 9, 'expected NULL after IS NOT'],
    ['a = 1 b = 2', 6, "expected AND, OR or end of input but found 'b'"],
    ['a = bare', 4, "expected a value after '=' but found 'bare'"],
    ['a. = 1', 2, "expected a name after '.'"],
    ['a = 1.', 6, 'expected digits after the decimal point'],
    ['`` = 1', 0, 'expected a field name'],
    ['null = 1', 0, 'backtick a field named like a keyword'],
  ])('rejects %j at position %i', (input, position, detail) => {
    const error = syntaxError(input);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`Error parsing query at position ${position}: `);
    expect(error.message).toContain(detail);
  });

  it('rejects parentheses nested too deep at the first paren too many', () => {
    const error = syntaxError(`${'('.repeat(100_000)}a=1`);
    expect(error.position).toBe(MAX_NESTING);
    expect(error.message).toContain(`nested deeper than ${MAX_NESTING} levels`);
  });

  it('shortens a long token quoted in a message', () => {
    const error = syntaxError(`a = 1 ${'x'.repeat(500)}`);
    expect(error.message).toContain(`'${'x'.repeat(30)}…'`);
  });

  it('throws nothing but CeqlSyntaxError on arbitrary input', () => {
    const alphabet = ['a', ' ', '=', "'", '"', '`', '(', ')', ',', '.', '-', '1', 'and ', 'is '];
    let seed = 7;
    for (let run = 0; run < 2_000; run++) {
      let input = '';
      for (let i = 0; i < 12; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        input += alphabet[seed % alphabet.length];
      }
      try {
        parseWhere(input);
      } catch (error) {
        expect(error, input).toBeInstanceOf(CeqlSyntaxError);
      }
    }
  });
});
