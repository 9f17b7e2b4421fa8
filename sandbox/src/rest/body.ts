/**
 * Helpers shared by the REST v1 write endpoints: body validation, record lookup, and small
 * zod pieces for the shapes many resources share. Bodies are lenient about unknown fields,
 * strict about the types of known ones.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Collection } from '../data/collection.js';
import { parseIsoDateTime } from '../data/dates.js';
import { badRequest, notFound } from '../errors.js';
import { pathId } from './query.js';

/** Validates the JSON body; every problem is listed in one `{"message"}` 400. */
export function parseBody<T extends z.ZodType>(
  schema: T,
  request: Pick<FastifyRequest, 'body'>,
): z.output<T> {
  const result = schema.safeParse(request.body ?? {});
  if (result.success) return result.data;

  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
  );
  throw badRequest(`Invalid request body: ${problems.join('; ')}`);
}

/** The record behind a path id, or Keap's 404 "Unable to find this <Noun>". */
export function findRecord<T extends { id: number }>(
  collection: Collection<T>,
  rawId: string,
  noun: string,
): T {
  const row = collection.get(pathId(rawId, noun.toLowerCase()));
  if (!row) throw notFound(noun);
  return row;
}

/** Changes to a record as parsed from a body: any property may be absent or undefined. */
export type Changes<T> = { [K in keyof T]?: T[K] | undefined };

/** Copies the defined values of `changes` onto `target` (a PATCH merge). */
export function applyDefined<T extends object>(target: T, changes: Changes<T>): T {
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

/** An ISO-8601 date-time in a body, as epoch ms. */
export const dateTime = z.string().transform((value, context) => {
  const ms = parseIsoDateTime(value);
  if (ms === undefined) {
    const message = 'expected an ISO-8601 date-time';
    context.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  }
  return ms;
});

/** A `yyyy-MM-dd` date (or a full date-time) in a body, as epoch ms at 00:00 UTC. */
export const localDate = z.string().transform((value, context) => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? parseIsoDateTime(`${value}T00:00:00Z`)
    : parseIsoDateTime(value);
  if (ms === undefined) {
    context.issues.push({ code: 'custom', message: 'expected a yyyy-MM-dd date', input: value });
    return z.NEVER;
  }
  return ms;
});

/** `{"id": 123}`, how v1 bodies point at another record. */
export const reference = z.object({ id: z.int().positive() });

export const customFieldValues = z.array(z.object({ id: z.int(), content: z.unknown() }));

/** Amounts Keap takes as strings ("19.99") or numbers. */
export const amount = z.union([
  z.number(),
  z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount').transform(Number),
]);

export function idsParam(raw: string | undefined, name = 'ids'): number[] {
  if (raw === undefined || raw === '') throw badRequest(`Query parameter '${name}' is required`);
  return raw.split(',').map((part) => pathId(part.trim(), name));
}
