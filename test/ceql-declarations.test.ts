import { describe, expect, it } from 'vitest';
import { parseWhere, translateWhere } from '../src/ceql/index.js';
import { loadCatalog } from '../src/elements/catalog.js';
import { ELEMENTS_DIR } from '../src/start.js';
import { sampleClause } from './support/ceql-samples.js';

describe('the CEQL declarations of every resource', () => {
  it('translate every declared field and operator into its Keap parameter', async () => {
    const catalog = await loadCatalog(ELEMENTS_DIR, {});
    let checked = 0;
    for (const element of catalog.elements) {
      for (const resource of element.resources) {
        for (const operation of resource.operations.filter((o) => o.kind === 'list')) {
          for (const filter of operation.filters) {
            for (const operator of filter.operators) {
              const params = translateWhere(parseWhere(sampleClause(filter, operator)), operation.filters, resource.name);
              expect(Object.keys(params), `${resource.name} ${filter.field} ${operator}`).toContain(filter.param);
              if (filter.type === 'date') expect(params[filter.param]).toBe('2024-06-03T22:17:59.039Z');
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses, for every list, a field it does not declare, naming what it supports', async () => {
    const catalog = await loadCatalog(ELEMENTS_DIR, {});
    for (const element of catalog.elements) {
      for (const resource of element.resources) {
        for (const operation of resource.operations.filter((o) => o.kind === 'list')) {
          const attempt = () => translateWhere(parseWhere("no_such_field = 'x'"), operation.filters, resource.name);
          expect(attempt).toThrow(/no_such_field/);
          for (const filter of operation.filters) expect(attempt).toThrow(new RegExp(filter.field));
        }
      }
    }
  });
});
