import { describe, expect, it } from 'vitest';
import { CeqlUnsupportedError, CeqlValueError, CeqlSyntaxError } from '../../src/ceql/errors.js';
import { parseWhere } from '../../src/ceql/parse.js';
import {
  parseFields,
  translateOrderBy,
  translateWhere,
  type FilterDeclaration,
} from '../../src/ceql/translate.js';

// Declarations as Keap's element would write them (keap.md §3.3).
const orders: FilterDeclaration[] = [
  { field: 'since', param: 'since', operators: ['=', '>=', '>'], type: 'date' },
  { field: 'until', param: 'until', operators: ['<=', '<'], type: 'date' },
  { field: 'modification_date', param: 'since', operators: ['>=', '>'], type: 'date' },
  { field: 'modification_date', param: 'until', operators: ['<=', '<'], type: 'date' },
  { field: 'contact_id', param: 'contact_id', operators: ['='], type: 'number' },
  { field: 'paid', param: 'paid', operators: ['='], type: 'boolean' },
];
const contacts: FilterDeclaration[] = [
  { field: 'email', param: 'email', operators: ['='] },
  { field: 'given_name', param: 'given_name', operators: ['='] },
  { field: 'family_name', param: 'family_name', operators: ['='] },
  { field: 'since', param: 'since', operators: ['=', '>=', '>'], type: 'date' },
];
const products: FilterDeclaration[] = [
  { field: 'active', param: 'active', operators: ['='], type: 'boolean' },
];
const tasks: FilterDeclaration[] = [
  { field: 'due_date', param: 'has_due_date', operators: ['is null', 'is not null'] },
  { field: 'user_id', param: 'user_id', operators: ['=', 'in'], type: 'number' },
  { field: 'title', param: 'search', operators: ['like'] },
];
const ordersSupported =
  'since (=, >=, >), until (<=, <), modification_date (>=, >, <=, <), contact_id (=), paid (=)';

function translate(where: string, filters: FilterDeclaration[], resource?: string) {
  return translateWhere(parseWhere(where), filters, resource);
}

/** The error `run` throws, failing the test when it returns. */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('translateWhere: Keap orders', () => {
  it('sends since and until from their own fields', () => {
    const where = "since >= '2017-01-01T22:17:59.039Z' and until < '2018-01-01T00:00:00Z'";
    expect(translate(where, orders)).toEqual({
      since: '2017-01-01T22:17:59.039Z',
      until: '2018-01-01T00:00:00.000Z',
    });
  });

  it('sends since and until for a range on modification_date', () => {
    const where =
      "modification_date >= '2018-01-15T00:00:00-07:00' " +
      "AND modification_date <= '2018-02-01T00:00:00+0530'";
    expect(translate(where, orders)).toEqual({
      since: '2018-01-15T07:00:00.000Z',
      until: '2018-01-31T18:30:00.000Z',
    });
  });

  it('checks and formats numbers and booleans, quoted or not', () => {
    expect(translate("contact_id = 12 and paid = TRUE", orders)).toEqual({
      contact_id: '12',
      paid: 'true',
    });
    expect(translate("contact_id = '9007199254740993' and paid = 'false'", orders)).toEqual({
      contact_id: '9007199254740993',
      paid: 'false',
    });
  });

  it('reads AND inside parentheses as part of the conjunction', () => {
    const where = "(paid = true and contact_id = 3) and since = '2018-01-15T00:00:00Z'";
    expect(Object.keys(translate(where, orders))).toEqual(['paid', 'contact_id', 'since']);
  });

  it('refuses a field the resource does not declare, listing what it supports', () => {
    const error = thrown(() => translate("title = 'x'", orders, 'orders'));
    expect(error).toBeInstanceOf(CeqlUnsupportedError);
    expect(error.message).toBe(
      `The where clause cannot filter orders by 'title' with '='. Supported: ${ordersSupported}`,
    );
    expect(error).toMatchObject({ field: 'title', operator: '=' });
    expect((error as CeqlUnsupportedError).supported).toContain('paid (=)');
  });

  it('refuses an operator the field does not declare', () => {
    const error = thrown(() => translate('paid != true', orders));
    expect(error.message).toBe(
      `The where clause cannot filter by 'paid' with '!='. Supported: ${ordersSupported}`,
    );
  });

  it('refuses OR, even between supported conditions', () => {
    const error = thrown(() => translate('paid = true or contact_id = 1', orders, 'orders'));
    expect(error).toBeInstanceOf(CeqlUnsupportedError);
    expect(error).toMatchObject({ operator: 'or' });
    expect(error.message).toBe(
      `The where clause cannot filter orders with OR. Supported: ${ordersSupported}`,
    );
  });

  it('refuses two conditions that set the same parameter', () => {
    const where =
      "since >= '2018-01-01T00:00:00Z' and modification_date > '2018-02-01T00:00:00Z'";
    const error = thrown(() => translate(where, orders, 'orders'));
    expect(error.message).toBe(
      "The where clause cannot filter orders by 'modification_date' with '>': " +
        `'since' is already set by another condition. Supported: ${ordersSupported}`,
    );
  });
});

describe('translateWhere: other Keap resources', () => {
  it('sends contact name and email filters as written', () => {
    const where =
      "email = 'o''brien@example.com' and given_name = \"Sean\" and family_name = 'O''Brien'";
    expect(translate(where, contacts)).toEqual({
      email: "o'brien@example.com",
      given_name: 'Sean',
      family_name: "O'Brien",
    });
  });

  it('sends a contact since date in UTC with milliseconds', () => {
    expect(translate("since > '2024-06-03T22:17:59Z'", contacts)).toEqual({
      since: '2024-06-03T22:17:59.000Z',
    });
  });

  it('sends the products active flag', () => {
    expect(translate('active = false', products)).toEqual({ active: 'false' });
  });

  it('sends IS [NOT] NULL as true or false, and IN as a comma list', () => {
    expect(translate('due_date is not null and user_id in (1, 2)', tasks)).toEqual({
      has_due_date: 'true',
      user_id: '1,2',
    });
    expect(translate('due_date IS NULL', tasks)).toEqual({ has_due_date: 'false' });
  });

  it('passes a LIKE pattern through raw', () => {
    expect(translate("title like 'Call%'", tasks)).toEqual({ search: 'Call%' });
  });

  it('refuses NOT LIKE and NOT IN, naming the operator', () => {
    expect(thrown(() => translate("title not like 'x%'", tasks))).toMatchObject({
      operator: 'not like',
      message: expect.stringContaining("by 'title' with 'not like'"),
    });
    expect(thrown(() => translate('user_id not in (1)', tasks, 'tasks')).message).toBe(
      "The where clause cannot filter tasks by 'user_id' with 'not in'. " +
        'Supported: due_date (is null, is not null), user_id (=, in), title (like)',
    );
  });

  it('says so when a resource supports no filter at all', () => {
    expect(thrown(() => translate('a = 1', [], 'notes')).message).toBe(
      "The where clause cannot filter notes by 'a' with '='. Supported: none",
    );
  });
});

describe('translateWhere: values', () => {
  it.each([
    ['2018-01-15T00:00:00-07:00', '2018-01-15T07:00:00.000Z'],
    ['2018-01-15T00:00:00.123+05:30', '2018-01-14T18:30:00.123Z'],
    ['2018-01-15T23:30:00-0100', '2018-01-16T00:30:00.000Z'],
    ['2018-01-15T00:00:00.1Z', '2018-01-15T00:00:00.100Z'],
    ['2018-01-15T00:00:00.123456789Z', '2018-01-15T00:00:00.123Z'],
    ['2016-02-29T12:00:00Z', '2016-02-29T12:00:00.000Z'],
    ['2018-01-01T00:30:00+01:00', '2017-12-31T23:30:00.000Z'],
  ])('formats the date %s as %s', (input, expected) => {
    expect(translate(`since = '${input}'`, orders)).toEqual({ since: expected });
  });

  it.each([
    '2018-01-15',
    '2018-01-15T00:00:00',
    '2018-01-15 00:00:00Z',
    '2018-02-30T00:00:00Z',
    '2017-02-29T00:00:00Z',
    '2018-13-01T00:00:00Z',
    '2018-01-15T24:00:00Z',
    '2018-01-15T00:00:00+01:60',
    'yesterday',
  ])('rejects the date %j with the expected format', (input) => {
    const error = thrown(() => translate(`since = '${input}'`, orders));
    expect(error).toBeInstanceOf(CeqlValueError);
    expect(error.message).toBe(
      `The where clause value '${input}' for 'since' is not valid; expected an ISO-8601 ` +
        'date-time with Z or an offset, e.g. 2018-01-15T00:00:00.000Z or 2018-01-15T00:00:00-07:00',
    );
  });

  it('rejects a date written as a number', () => {
    expect(thrown(() => translate('since = 20180115', orders))).toBeInstanceOf(CeqlValueError);
  });

  it('rejects values that do not fit numbers and booleans', () => {
    expect(thrown(() => translate("contact_id = 'abc'", orders)).message).toBe(
      "The where clause value 'abc' for 'contact_id' is not valid; expected a number such as 42",
    );
    expect(thrown(() => translate('contact_id = true', orders))).toBeInstanceOf(CeqlValueError);
    expect(thrown(() => translate("paid = 'yes'", orders))).toMatchObject({
      field: 'paid',
      value: 'yes',
      expected: 'true or false',
    });
    expect(thrown(() => translate('paid = 1', orders))).toBeInstanceOf(CeqlValueError);
  });

  it('checks every value of an IN list', () => {
    expect(thrown(() => translate("user_id in (1, 'x')", tasks))).toMatchObject({ value: 'x' });
  });

  it('refuses an IN value holding the comma that separates the list', () => {
    const inString: FilterDeclaration[] = [{ field: 'tag', param: 'tags', operators: ['in'] }];
    expect(thrown(() => translate("tag in ('a,b')", inString))).toMatchObject({
      message:
        "The where clause value 'a,b' for 'tag' is not valid; expected a value without commas",
    });
  });
});

describe('translateOrderBy', () => {
  const allowed = { id: 'id', date_created: 'date_created', name: 'name', email: 'email' };

  it('maps the field and spells out a written direction', () => {
    expect(translateOrderBy('date_created', allowed)).toEqual({ order: 'date_created' });
    expect(translateOrderBy(' name DESC ', allowed)).toEqual({
      order: 'name',
      order_direction: 'descending',
    });
    expect(translateOrderBy('email asc', allowed)).toEqual({
      order: 'email',
      order_direction: 'ascending',
    });
  });

  it('maps a CEQL field to a differently named provider value', () => {
    expect(translateOrderBy('lastName', { lastName: 'name' })).toEqual({ order: 'name' });
  });

  it('refuses a field it cannot sort by', () => {
    const error = thrown(() => translateOrderBy('phone desc', allowed, 'contacts'));
    expect(error).toBeInstanceOf(CeqlUnsupportedError);
    expect(error).toMatchObject({ field: 'phone', supported: Object.keys(allowed) });
    expect(error.message).toBe(
      "The orderBy cannot sort contacts by 'phone'. Supported: id, date_created, name, email",
    );
  });

  it('refuses more than one field, naming the limit', () => {
    expect(thrown(() => translateOrderBy('name asc, id', allowed)).message).toBe(
      'The orderBy can sort by one field only, but 2 were given. ' +
        'Supported: id, date_created, name, email',
    );
  });

  it.each([
    ['name up', 5, "expected ASC or DESC after 'name' but found 'up'"],
    ['name asc id', 9, "expected ',' or end of input after 'asc' but found 'id'"],
    ['', 0, 'expected a field name'],
    ['name,', 5, 'expected a field name'],
  ])('rejects %j at position %i', (orderBy, position, detail) => {
    const error = thrown(() => translateOrderBy(orderBy, allowed));
    expect(error).toBeInstanceOf(CeqlSyntaxError);
    expect(error.message).toBe(`Error parsing orderBy at position ${position}: ${detail}`);
  });
});

describe('parseFields', () => {
  it('splits on commas, trims, and drops empty entries and repeats', () => {
    expect(parseFields(' id, address.countryCode ,,email,id')).toEqual([
      'id',
      'address.countryCode',
      'email',
    ]);
    expect(parseFields('')).toEqual([]);
  });

  it('rejects names separated by a space', () => {
    const error = thrown(() => parseFields('id,given_name family_name'));
    expect(error).toBeInstanceOf(CeqlSyntaxError);
    expect(error.message).toBe(
      'Error parsing fields at position 14: ' +
        "expected ',' after 'given_name' but found 'family_name'",
    );
  });
});
