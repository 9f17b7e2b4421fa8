import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../src/http/json-position.js';

describe('jsonErrorPosition', () => {
  it('is -1 for valid JSON of every kind', () => {
    for (const text of ['{}', '[]', '{"a":[1,-2.5e3,"x\\u00e9\\n",true,false,null]}', ' 1 ', '"s"']) {
      expect(jsonErrorPosition(text)).toBe(-1);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('points at the first broken character', () => {
    expect(jsonErrorPosition('{"name": “My instance”}')).toBe(9);
    expect(jsonErrorPosition('{"a":1,}')).toBe(7);
    expect(jsonErrorPosition('{"a":')).toBe(5);
    expect(jsonErrorPosition("{'a':1}")).toBe(1);
    expect(jsonErrorPosition('[1 2]')).toBe(3);
    expect(jsonErrorPosition('{"a":1} x')).toBe(8);
    expect(jsonErrorPosition('tru')).toBe(3);
    expect(jsonErrorPosition('"\\q"')).toBe(2);
  });

  it('survives deep nesting without overflowing', () => {
    expect(jsonErrorPosition('['.repeat(5000))).toBeGreaterThan(0);
  });
});
