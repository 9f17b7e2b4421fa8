import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/http/errors.js';

describe('the error catalogue', () => {
  it('and docs/errors.md list the same codes', async () => {
    const doc = await readFile('docs/errors.md', 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z.-]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...errorCodes].sort());
  });
});
