import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../../src/events/date-format.js';
import { fillPlaceholders } from '../../src/events/placeholders.js';

const at = Date.UTC(2024, 10, 7, 20, 35, 13, 42); // 2024-11-07T20:35:13.042Z, a Thursday

describe('SimpleDateFormat patterns', () => {
  it('writes the common tokens in GMT', () => {
    expect(formatDate(at, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe('2024-11-07T20:35:13.042Z');
    expect(formatDate(at, "yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toBe('2024-11-07T20:35:13.042+0000');
    expect(formatDate(at, 'EEE, dd MMM yy hh:mm a')).toBe('Thu, 07 Nov 24 08:35 PM');
    expect(formatDate(at, "EEEE MMMM d ''yy")).toBe("Thursday November 7 '24");
  });

  it('writes offsets of fixed, Java short and IANA zones', () => {
    expect(formatDate(at, "yyyy-MM-dd'T'HH:mm:ssXXX", '-8:00')).toBe('2024-11-07T12:35:13-08:00');
    expect(formatDate(at, 'HH:mm Z', 'PST')).toBe('12:35 -0800');
    expect(formatDate(at, 'HH:mm X', 'Asia/Kolkata')).toBe('02:05 +05');
    expect(formatDate(at, 'HH:mm z', 'GMT+05:30')).toBe('02:05 GMT+05:30');
    expect(formatDate(at, 'HH:mm XXX', 'EST')).toBe('15:35 -05:00');
  });

  it('follows DST in named zones, on both sides of the change', () => {
    const beforeChange = Date.UTC(2024, 10, 3, 5, 30); // 01:30 EDT
    const afterChange = Date.UTC(2024, 10, 3, 6, 30); // 01:30 EST
    const pattern = "yyyy-MM-dd'T'HH:mm:ssXXX";
    expect(formatDate(beforeChange, pattern, 'America/New_York')).toBe('2024-11-03T01:30:00-04:00');
    expect(formatDate(afterChange, pattern, 'America/New_York')).toBe('2024-11-03T01:30:00-05:00');
    expect(formatDate(Date.UTC(2024, 2, 10, 7, 0), pattern, 'America/New_York')).toBe('2024-03-10T03:00:00-04:00');
  });

  it('reads dates with an offset, and without one in the given zone', () => {
    expect(parseDate('2024-11-07T20:35:13.042+0000', "yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toBe(at);
    expect(parseDate('2024-11-07T12:35:13.042-08:00', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe(at);
    expect(parseDate('2024-11-07T20:35:13.042Z', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe(at);
    expect(parseDate('2024-11-07 12:35:13', 'yyyy-MM-dd HH:mm:ss', 'PST')).toBe(at - 42);
    expect(parseDate('20241107203513', 'yyyyMMddHHmmss')).toBe(at - 42);
    expect(parseDate('Thu, 07 Nov 2024 08:35:13 PM', 'EEE, dd MMM yyyy hh:mm:ss a')).toBe(at - 42);
  });

  it('reads an ambiguous wall time in a DST overlap as the earlier instant, as Java does', () => {
    expect(parseDate('2024-11-03 01:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2024, 10, 3, 5, 30));
  });

  it('round-trips through format and parse', () => {
    for (const zone of ['GMT', 'America/New_York', 'Australia/Sydney', '+05:45']) {
      const pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
      expect(parseDate(formatDate(at, pattern, zone), pattern, zone)).toBe(at);
    }
  });

  it('refuses text that does not match, unknown letters and unknown zones', () => {
    expect(parseDate('2024-11-07', "yyyy-MM-dd'T'HH:mm")).toBeUndefined();
    expect(parseDate('2024-13-07', 'yyyy-MM-dd')).toBeUndefined();
    expect(() => formatDate(at, 'yyyy-QQ')).toThrow(/letter 'Q'/);
    expect(() => formatDate(at, 'yyyy', 'Mars/Olympus')).toThrow(/time zone/);
  });
});

describe('poller URL placeholders', () => {
  it('fills each placeholder kind, URL-encoded', () => {
    const url = fillPlaceholders(
      "/hubs/ecommerce/orders?where=since='${date:yyyy-MM-dd'T'HH:mm:ssXXX}'&g=${gmtDate:HH:mm}" +
        '&z=${dateTimeZone:-8:00:HH:mm XXX}&b=${dateTimeZone:{PST}:HH:mm}&e=${epoch}&s=${epoch:s}&u=${epoch:us}&d=${date}',
      at,
    );
    const query = new URL(url, 'http://x').searchParams;
    expect(query.get('where')).toBe("since='2024-11-07T20:35:13Z'");
    expect(query.get('g')).toBe('20:35');
    expect(query.get('z')).toBe('12:35 -08:00');
    expect(query.get('b')).toBe('12:35');
    expect(query.get('e')).toBe(String(at));
    expect(query.get('s')).toBe(String(Math.floor(at / 1000)));
    expect(query.get('u')).toBe(String(at * 1000));
    expect(query.get('d')).toBe('2024-11-07T20:35:13.042Z');
  });

  it('keeps a + offset intact through the query string', () => {
    const url = fillPlaceholders("/x?where=since='${dateTimeZone:Asia/Tokyo:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}'", at);
    expect(new URL(url, 'http://x').searchParams.get('where')).toBe("since='2024-11-08T05:35:13.042+09:00'");
  });

  it('refuses an unknown placeholder', () => {
    expect(() => fillPlaceholders('/x?${nope}', at)).toThrow(/unknown placeholder/);
  });
});
