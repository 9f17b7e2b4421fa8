import { describe, expect, it } from 'vitest';
import { dropNulls } from '../src/hub/nulls.js';

describe('dropNulls (filter.response.nulls)', () => {
  it('drops null properties at every depth and keeps null array items in place', () => {
    const page = JSON.parse('{"a":null,"b":{"c":null,"d":[null,{"e":null,"f":1}]},"g":"x"}');
    expect(JSON.stringify(dropNulls(page))).toBe('{"b":{"d":[null,{"f":1}]},"g":"x"}');
  });

  it('keeps a provider key named __proto__ as data, without touching the prototype', () => {
    const copy = dropNulls(JSON.parse('{"__proto__":{"polluted":true,"n":null}}')) as object;
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
