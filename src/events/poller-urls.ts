/**
 * The legacy `event.poller.urls` key (spec §4.1), in its two forms:
 *
 * - one resource per line, `resource|url|xpath|updField|updFmt|updTz|crField|crFmt|crTz`, as
 *   the platform's first pollers took it;
 * - the resource names joined by `|`, which existing clients post beside
 *   `event.poller.configuration`: each name is polled, with its JSON entry or the defaults.
 *
 * Both become entries in the shape of `event.poller.configuration`. `xpath` located the records
 * in a vendor response; hub lists answer with an array of records, so it has nothing to select.
 */
import { PollerConfigError } from './poller-config.js';

const LINE = 'resource|url|xpath|updatedField|updatedFormat|updatedTimezone|createdField|createdFormat|createdTimezone';

/** Entries by resource, each `{}` (defaults) or a configuration object of spec §4.2. */
export function readPollerUrls(text: string | undefined): Record<string, Record<string, unknown>> {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return {};
  if (lines.length === 1 && isNameList(lines[0] ?? '')) return nameList(lines[0] ?? '');

  const entries: Record<string, Record<string, unknown>> = {};
  lines.forEach((line, index) => {
    const fields = line.split('|').map((f) => f.trim());
    const [resource, url, , updField, updFmt, updTz, crField, crFmt, crTz] = fields;
    if (!resource || !url) {
      throw new PollerConfigError(`event.poller.urls line ${index + 1} needs at least 'resource|url'; expected ${LINE}`);
    }
    entries[resource] = {
      url: hubPath(url, index),
      ...dates({ updField, updFmt, updTz, crField, crFmt, crTz }),
    };
  });
  return entries;
}

/** `orders|contacts`: names only, no URL among them. */
function isNameList(line: string): boolean {
  return line.split('|').every((part) => /^[\w.-]*$/.test(part.trim()));
}

function nameList(line: string): Record<string, Record<string, unknown>> {
  const names = line.split('|').map((n) => n.trim()).filter((n) => n !== '');
  return Object.fromEntries(names.map((name) => [name, {}]));
}

/** The hub path of a URL; legacy lines sometimes carry the platform's whole URL. */
function hubPath(url: string, index: number): string {
  if (url.startsWith('/hubs/')) return url;
  const at = url.indexOf('/hubs/');
  if (at >= 0) return url.slice(at);
  throw new PollerConfigError(`event.poller.urls line ${index + 1}: the url must be a hub URL (/hubs/…), not '${url}'`);
}

function dates(fields: Record<string, string | undefined>): Record<string, unknown> {
  const configuration: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value) configuration[key] = value;
  };
  if (fields['updField']) {
    set('updatedDateField', fields['updField']);
    set('updatedDateFormat', fields['updFmt']);
    set('updatedDateTimezone', fields['updTz']);
  }
  if (fields['crField']) {
    set('createdDateField', fields['crField']);
    set('createdDateFormat', fields['crFmt']);
    set('createdDateTimezone', fields['crTz']);
  }
  return Object.keys(configuration).length > 0 ? { datesConfiguration: configuration } : {};
}
