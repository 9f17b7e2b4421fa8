import { z } from 'zod';
import type { Element, ResourceDefinition } from '../elements/schema.js';
import { checkPattern } from './date-format.js';
import { readPollerUrls } from './poller-urls.js';

/** Keap REST v1 writes dates as `2024-11-07T20:35:13.000+0000`. */
const RECORD_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZ";
/** Sent in URLs with milliseconds and an explicit offset, which CEQL turns into UTC for Keap. */
const URL_DATE = "${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}";

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const count = z.coerce.number().int().min(0);

const datesConfiguration = z.object({
  updatedDateField: z.string().min(1).optional(),
  updatedDateFormat: z.string().min(1).optional(),
  updatedDateTimezone: z.string().optional(),
  createdDateField: z.string().min(1).optional(),
  createdDateFormat: z.string().min(1).optional(),
  createdDateTimezone: z.string().optional(),
});

/** One resource's entry of `event.poller.configuration` (spec §4.2), fields all optional here. */
const resourcePollerInput = z
  .object({
    url: z.string().startsWith('/').optional(),
    idField: z.string().min(1).optional(),
    datesConfiguration: datesConfiguration.optional(),
    filterByUpdatedDate: flag.optional(),
    filterByCurrentDate: flag.optional(),
    createdCheckTolerance: count.optional(),
    pageSize: z.coerce.number().int().min(1).max(1000).optional(),
    pollDelay: count.optional(),
  })
  .passthrough();

export interface PollerDates {
  field: string;
  format: string;
  timezone: string | undefined;
}

/** A resource's poller configuration with every default applied. */
export interface ResourcePoller {
  resource: string;
  url: string;
  idField: string;
  updated: PollerDates | undefined;
  created: PollerDates | undefined;
  filterByUpdatedDate: boolean;
  filterByCurrentDate: boolean;
  /** Seconds. */
  createdCheckTolerance: number;
  pageSize: number;
  /** Seconds. */
  pollDelay: number;
}

export class PollerConfigError extends Error {}

/**
 * Reads `event.poller.configuration` (an object or its JSON text) for an element: each entry is
 * merged over the defaults derived from the resource's declared dates, so `{"contacts": {}}`
 * polls contacts sensibly. `event.objects` (a comma list) adds resources with defaults only, and
 * so do the names of the legacy `event.poller.urls`; a full legacy line (resource, url, dates)
 * replaces the entry of its resource, being the more specific of the two.
 */
export function readPollerConfig(
  element: Element,
  configuration: Record<string, string>,
): ResourcePoller[] {
  const entries = parseEntries(configuration['event.poller.configuration']);
  for (const [resource, legacy] of Object.entries(readPollerUrls(configuration['event.poller.urls']))) {
    if (Object.keys(legacy).length > 0 || !entries[resource]) entries[resource] = legacy;
  }
  for (const name of (configuration['event.objects'] ?? '').split(',')) {
    const trimmed = name.trim();
    if (trimmed && !entries[trimmed]) entries[trimmed] = {};
  }
  return Object.entries(entries).map(([resource, raw]) => resolve(element, resource, raw));
}

/**
 * One resource's poller: its configured entry, else the element's defaults for it; undefined
 * when the configuration is unusable or the resource has no dates to read.
 */
export function pollerFor(
  element: Element,
  configuration: Record<string, string>,
  resource: string,
): ResourcePoller | undefined {
  try {
    const configured = readPollerConfig(element, configuration).find((p) => p.resource === resource);
    return configured ?? resolve(element, resource, {});
  } catch {
    return undefined;
  }
}

function parseEntries(text: string | undefined): Record<string, unknown> {
  if (!text?.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PollerConfigError(`event.poller.configuration is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PollerConfigError('event.poller.configuration must be an object of resource name → configuration');
  }
  return { ...(value as Record<string, unknown>) };
}

function resolve(element: Element, resource: string, raw: unknown): ResourcePoller {
  const parsed = resourcePollerInput.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[resource, ...i.path].join('.')}: ${i.message}`);
    throw new PollerConfigError(`event.poller.configuration is invalid: ${problems.join('; ')}`);
  }
  const input = parsed.data;
  const defaults = defaultPoller(element, resource);
  if (!input.url && !defaults) {
    throw new PollerConfigError(
      `event.poller.configuration.${resource} needs a url: ${element.key} has no resource '${resource}' with dates to poll`,
    );
  }
  const dates = input.datesConfiguration ?? {};
  const poller: ResourcePoller = {
    resource,
    url: input.url ?? defaults?.url ?? '',
    idField: input.idField ?? defaults?.idField ?? 'id',
    updated: pickDates(dates.updatedDateField, dates.updatedDateFormat, dates.updatedDateTimezone, defaults?.updated),
    created: pickDates(dates.createdDateField, dates.createdDateFormat, dates.createdDateTimezone, defaults?.created),
    filterByUpdatedDate: input.filterByUpdatedDate ?? true,
    filterByCurrentDate: input.filterByCurrentDate ?? false,
    createdCheckTolerance: input.createdCheckTolerance ?? 0,
    pageSize: input.pageSize ?? 100,
    pollDelay: input.pollDelay ?? 0,
  };
  for (const dates of [poller.updated, poller.created]) {
    if (!dates) continue;
    try {
      checkPattern(dates.format, dates.timezone);
    } catch (err) {
      throw new PollerConfigError(`event.poller.configuration.${resource}: ${(err as Error).message}`);
    }
  }
  return poller;
}

function pickDates(
  field: string | undefined,
  format: string | undefined,
  timezone: string | undefined,
  fallback: PollerDates | undefined,
): PollerDates | undefined {
  if (!field) return fallback;
  return { field, format: format ?? fallback?.format ?? RECORD_DATE_FORMAT, timezone: timezone || undefined };
}

/**
 * Defaults for a resource that declares its dates: its hub list URL, filtered on the updated
 * date when the list can express that, else scanned whole and filtered here.
 */
export function defaultPoller(
  element: Element,
  resource: string,
): Pick<ResourcePoller, 'url' | 'idField' | 'updated' | 'created'> | undefined {
  const definition = element.resources.find((r) => r.name === resource);
  const list = definition?.operations.find((o) => o.kind === 'list');
  if (!definition || !list || !definition.dates.updated) return undefined;
  const updatedField = definition.dates.updated;
  const base = `/hubs/${element.hub}${list.path}`;
  return {
    url: canFilterSince(definition, updatedField) ? `${base}?where=${updatedField} >= '${URL_DATE}'` : base,
    idField: definition.idField,
    updated: { field: updatedField, format: RECORD_DATE_FORMAT, timezone: undefined },
    created: definition.dates.created
      ? { field: definition.dates.created, format: RECORD_DATE_FORMAT, timezone: undefined }
      : undefined,
  };
}

function canFilterSince(resource: ResourceDefinition, field: string): boolean {
  const list = resource.operations.find((o) => o.kind === 'list');
  return !!list?.filters.some((f) => f.field === field && f.operators.includes('>='));
}

/** Reads a dotted path (`user.id`) of a record. */
export function valueAt(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
