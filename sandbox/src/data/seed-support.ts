/** Shared helpers for the seed generators. */
import { DAY_MS } from './dates.js';
import { CITIES, STREETS } from './names.js';
import type { ContactAddress } from './models.js';
import type { Random } from './random.js';

export interface SeedInput {
  seed: number;
  /** Epoch ms the data is generated relative to: every seeded date lies at or before it. */
  anchor: number;
}

/** A whole-second time between `maxDays` days before `anchor` and `anchor`. */
export function pastTime(random: Random, anchor: number, maxDays: number): number {
  return anchor - random.int(0, maxDays * 86_400) * 1000;
}

/** A whole-second time between `from` and `to` (both inclusive). */
export function timeBetween(random: Random, from: number, to: number): number {
  if (to <= from) return from;
  return from + random.int(0, Math.floor((to - from) / 1000)) * 1000;
}

export function daysBefore(anchor: number, days: number): number {
  return anchor - days * DAY_MS;
}

export function phoneNumber(random: Random): string {
  return `(555) ${random.int(200, 989)}-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

export function streetAddress(random: Random, field: ContactAddress['field']): ContactAddress {
  const [locality, region, zipPrefix] = random.pick(CITIES);
  const zip = `${zipPrefix}${String(random.int(0, 99)).padStart(2, '0')}`;
  return {
    field,
    line1: `${random.int(10, 9999)} ${random.pick(STREETS)}`,
    line2: random.chance(0.2) ? `Suite ${random.int(100, 450)}` : null,
    locality,
    region,
    postal_code: zip,
    zip_code: zip,
    zip_four: random.chance(0.3) ? String(random.int(1000, 9999)) : null,
    country_code: 'USA',
  };
}

/** Sorts generated rows by a date and numbers them 1..n, so ids grow with creation time. */
export function numberByDate<T extends { id: number }>(rows: T[], dateOf: (row: T) => number): T[] {
  rows.sort((a, b) => dateOf(a) - dateOf(b));
  rows.forEach((row, index) => {
    row.id = index + 1;
  });
  return rows;
}
