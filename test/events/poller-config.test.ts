import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/elements/catalog.js';
import type { Element } from '../../src/elements/schema.js';
import { readPollerConfig } from '../../src/events/poller-config.js';
import { readEventSettings } from '../../src/events/settings.js';
import { ELEMENTS_DIR } from '../../src/start.js';

describe('event.poller.configuration', () => {
  let ecommerce: Element;
  beforeAll(async () => {
    const catalog = await loadCatalog(ELEMENTS_DIR, {});
    ecommerce = catalog.find('infusionsoftecommerce') as Element;
  });
  const defaults = () => Object.fromEntries(ecommerce.configuration.flatMap((c) => (c.defaultValue ? [[c.key, c.defaultValue]] : [])));

  it("reads the element's default for orders", () => {
    const [orders, ...rest] = readPollerConfig(ecommerce, defaults());
    expect(rest).toEqual([]);
    expect(orders).toMatchObject({
      resource: 'orders',
      idField: 'id',
      updated: { field: 'modification_date' },
      created: { field: 'creation_date' },
      filterByUpdatedDate: true,
      pollDelay: 0,
    });
    expect(orders?.url).toContain("${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}");
  });

  it('takes an object or its JSON text, every field, and strings for numbers and flags', () => {
    const entry = {
      url: '/hubs/ecommerce/orders',
      idField: 'contact.id',
      datesConfiguration: {
        updatedDateField: 'modification_date',
        updatedDateFormat: 'yyyy-MM-dd HH:mm:ss',
        updatedDateTimezone: 'America/New_York',
        createdDateField: 'creation_date',
        createdDateFormat: 'yyyy-MM-dd',
      },
      filterByUpdatedDate: 'false',
      filterByCurrentDate: true,
      createdCheckTolerance: '60',
      pageSize: 20,
      pollDelay: 30,
    };
    const [orders] = readPollerConfig(ecommerce, { 'event.poller.configuration': JSON.stringify({ orders: entry }) });
    expect(orders).toEqual({
      resource: 'orders',
      url: '/hubs/ecommerce/orders',
      idField: 'contact.id',
      updated: { field: 'modification_date', format: 'yyyy-MM-dd HH:mm:ss', timezone: 'America/New_York' },
      created: { field: 'creation_date', format: 'yyyy-MM-dd', timezone: undefined },
      filterByUpdatedDate: false,
      filterByCurrentDate: true,
      createdCheckTolerance: 60,
      pageSize: 20,
      pollDelay: 30,
    });
  });

  it('fills other resources with dates from their declarations, also through event.objects', () => {
    const pollers = readPollerConfig(ecommerce, { 'event.poller.configuration': '{"contacts":{}}', 'event.objects': 'orders' });
    expect(pollers.map((p) => p.resource)).toEqual(['contacts', 'orders']);
    expect(pollers[0]?.updated?.field).toBe('last_updated');
  });

  it('reads the legacy pipe-delimited event.poller.urls, one resource per line', () => {
    const urls = [
      "contacts|/hubs/ecommerce/contacts?where=last_updated>='${date}'|$.contacts|last_updated|yyyy-MM-dd'T'HH:mm:ss.SSSZ|GMT|date_created|yyyy-MM-dd'T'HH:mm:ss.SSSZ|",
      'orders|https://junction.example.com/elements/api-v2/hubs/ecommerce/orders|',
    ].join('\n');
    const pollers = readPollerConfig(ecommerce, { ...defaults(), 'event.poller.urls': urls });
    expect(pollers.map((p) => p.resource)).toEqual(['orders', 'contacts']);
    const [orders, contacts] = pollers;
    expect(contacts).toMatchObject({
      url: "/hubs/ecommerce/contacts?where=last_updated>='${date}'",
      idField: 'id',
      updated: { field: 'last_updated', format: "yyyy-MM-dd'T'HH:mm:ss.SSSZ", timezone: 'GMT' },
      created: { field: 'date_created', format: "yyyy-MM-dd'T'HH:mm:ss.SSSZ", timezone: undefined },
    });
    // A full line is more specific than the element's default entry for the same resource.
    expect(orders?.url).toBe('/hubs/ecommerce/orders');
    expect(orders?.updated?.field).toBe('modification_date');
  });

  it('reads event.poller.urls as resource names beside the JSON configuration', () => {
    const configuration = {
      'event.poller.configuration': JSON.stringify({ orders: { pageSize: 7 } }),
      'event.poller.urls': 'orders|contacts',
    };
    const pollers = readPollerConfig(ecommerce, configuration);
    expect(pollers.map((p) => [p.resource, p.pageSize])).toEqual([['orders', 7], ['contacts', 100]]);
    expect(pollers[1]?.updated?.field).toBe('last_updated');
    expect(() => readPollerConfig(ecommerce, { 'event.poller.urls': 'orders|/hubs/ecommerce/orders\n|' })).toThrow(
      /line 2 needs at least 'resource\|url'/,
    );
    expect(() => readPollerConfig(ecommerce, { 'event.poller.urls': 'orders|orders?where=x' })).toThrow(/hub URL/);
  });

  it('names what is wrong', () => {
    expect(() => readPollerConfig(ecommerce, { 'event.poller.configuration': '{' })).toThrow(/not JSON/);
    expect(() => readPollerConfig(ecommerce, { 'event.poller.configuration': '{"orders":{"pageSize":0}}' })).toThrow(
      /orders\.pageSize/,
    );
    expect(() => readPollerConfig(ecommerce, { 'event.poller.configuration': '{"nothing":{}}' })).toThrow(/needs a url/);
    const badZone = { orders: { datesConfiguration: { updatedDateField: 'x', updatedDateFormat: 'yyyy', updatedDateTimezone: 'Nowhere/Else' } } };
    expect(() => readPollerConfig(ecommerce, { 'event.poller.configuration': JSON.stringify(badZone) })).toThrow(/time zone/);
  });

  it('reads the event settings, accepting webhook and webhooks', () => {
    expect(readEventSettings(ecommerce, {})).toMatchObject({ enabled: false, mechanism: 'polling', refreshInterval: 15 });
    const on = readEventSettings(ecommerce, {
      'event.notification.enabled': 'TRUE',
      'event.vendor.type': 'webhooks',
      'event.notification.signature.key': '',
      'event.poller.refresh_interval': '1',
    });
    expect(on).toMatchObject({ enabled: true, mechanism: 'webhook', signatureKey: undefined, refreshInterval: 1 });
  });
});
