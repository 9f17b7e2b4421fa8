import type { Instance } from '../instances/model.js';
import { parseDate } from './date-format.js';
import { callHub, type HubAnswer } from './hub-call.js';
import type { EventType } from './notification.js';
import { fillPlaceholders } from './placeholders.js';
import { valueAt, type PollerDates, type ResourcePoller } from './poller-config.js';
import { createHash } from 'node:crypto';

/**
 * How far back each poll reaches before the last watermark. It covers changes made while the
 * previous sweep was paging and clock skew between Keap and us; duplicates it brings back are
 * dropped by the seen-changes table.
 */
export const OVERLAP_MS = 2 * 60_000;

/** Pages one sweep may read; a resource with more changes continues on the next poll. */
const MAX_PAGES = 200;

export interface PolledChange {
  objectType: string;
  objectId: string;
  eventType: EventType;
  /** The record's updated date (ISO), or a digest of the record when it has no dates. */
  changedAt: string;
  date: string;
  record: unknown;
}

export interface SweepResult {
  changes: PolledChange[];
  /** The next watermark, or undefined to keep the current one. */
  watermark: number | undefined;
}

type HubDeps = Parameters<typeof callHub>[0];

/**
 * One sweep of one resource (spec §6.2): reads every page of the poller URL filled with
 * `since`, keeps the records changed since then, and classifies them. The watermark it returns
 * is the newest date seen (never past the sweep's start) less the overlap; it is undefined
 * when nothing was seen or when the result set changed size while paging, which can hide a
 * record between pages: the next sweep then reads the same window again.
 */
export async function sweep(
  deps: HubDeps,
  instance: Instance,
  poller: ResourcePoller,
  watermark: number,
  startedAt: number,
): Promise<SweepResult> {
  const since = watermark - poller.pollDelay * 1000;
  const url = withPageSize(fillPlaceholders(poller.url, since), poller.pageSize);
  const records: unknown[] = [];
  const totals = new Set<string>();
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: HubAnswer = await callHub(deps, instance, 'GET', next ? withNextPage(url, next) : url);
    records.push(...(Array.isArray(answer.body) ? (answer.body as unknown[]) : []));
    totals.add(answer.headers['elements-total-count'] ?? '');
    next = answer.headers['elements-next-page-token'];
    if (!next) break;
  }
  const changes = classify(poller, records, since, startedAt);
  const stable = totals.size <= 1 && !next;
  return { changes, watermark: stable ? nextWatermark(changes, poller, startedAt) : undefined };
}

function classify(poller: ResourcePoller, records: unknown[], since: number, startedAt: number): PolledChange[] {
  const changes: PolledChange[] = [];
  for (const record of records) {
    const updated = readDate(record, poller.updated);
    const created = readDate(record, poller.created);
    const compared = poller.filterByUpdatedDate ? (updated ?? created) : (created ?? updated);
    if (compared !== undefined && compared <= since) continue;
    if (poller.filterByCurrentDate && compared !== undefined && compared > startedAt) continue;
    const change = changeOf(poller, record, startedAt);
    if (change) changes.push(change);
  }
  return changes;
}

/**
 * A record as a poll reports it: CREATED when its dates lie within the tolerance, else UPDATED,
 * keyed by its updated date (or a digest of it); undefined without an id.
 */
export function changeOf(poller: ResourcePoller, record: unknown, now: number): PolledChange | undefined {
  const id = valueAt(record, poller.idField);
  if (id === undefined || id === null) return undefined;
  const updated = readDate(record, poller.updated);
  const created = readDate(record, poller.created);
  return {
    objectType: poller.resource,
    objectId: String(id),
    eventType: eventType(updated, created, poller.createdCheckTolerance),
    changedAt: updated !== undefined ? new Date(updated).toISOString() : digest(record),
    date: new Date(updated ?? created ?? now).toISOString(),
    record,
  };
}

function eventType(updated: number | undefined, created: number | undefined, toleranceSeconds: number): EventType {
  if (created === undefined) return updated === undefined ? 'UNKNOWN' : 'UPDATED';
  if (updated === undefined) return 'CREATED';
  return Math.abs(updated - created) <= toleranceSeconds * 1000 ? 'CREATED' : 'UPDATED';
}

function nextWatermark(changes: PolledChange[], poller: ResourcePoller, startedAt: number): number | undefined {
  const dates = changes.map((c) => Date.parse(c.date)).filter((d) => Number.isFinite(d));
  if (dates.length === 0 || !poller.updated) return undefined;
  return Math.min(Math.max(...dates), startedAt) - OVERLAP_MS;
}

/**
 * A record's date in its configured format. Configurations written for other dialects of
 * ISO-8601 (`XXX` where Keap writes `+0000`, no milliseconds) still read, because the poller
 * would otherwise report nothing at all.
 */
export function readDate(record: unknown, dates: PollerDates | undefined): number | undefined {
  if (!dates) return undefined;
  const value = valueAt(record, dates.field);
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = parseDate(value, dates.format, dates.timezone);
  if (parsed !== undefined) return parsed;
  const iso = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && Number.isFinite(iso) ? iso : undefined;
}

function digest(record: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(record)).digest('base64url')}`;
}

function withPageSize(url: string, pageSize: number): string {
  const parsed = new URL(url, 'http://hub.invalid');
  if (!parsed.searchParams.has('pageSize')) parsed.searchParams.set('pageSize', String(pageSize));
  return parsed.pathname + parsed.search;
}

function withNextPage(url: string, token: string): string {
  const parsed = new URL(url, 'http://hub.invalid');
  parsed.searchParams.set('nextPage', token);
  return parsed.pathname + parsed.search;
}
