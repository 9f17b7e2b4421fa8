import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { apiError } from './errors.js';

/**
 * Turns one schema validation failure into a sentence a person can act on. Zod's own wording
 * is kept for fields, but two cases it words poorly are named plainly: a body that is not a
 * JSON object at all, and a path parameter that is not a number (zod says "received NaN").
 */
export function validationMessage(
  context: string,
  failure: FastifySchemaValidationError,
  request: FastifyRequest,
): string {
  const path = failure.instancePath.replace(/^\//, '');
  const expected = (failure.params as { expected?: unknown }).expected;
  if (context === 'body' && path === '' && failure.keyword === 'invalid_type') {
    return `the body must be a JSON object; it was ${describe(request.body)}`;
  }
  if (context === 'params' && (expected === 'number' || expected === 'int' || failure.keyword === 'too_small')) {
    const raw = (request.params as Record<string, unknown>)[path];
    return `${path} must be a number (a positive whole number), not '${String(raw)}'`;
  }
  const where = `${context}${path ? `.${path.replace(/\//g, '.')}` : ''}`;
  return `${where}: ${failure.message ?? 'is not valid'}`;
}

/** A path parameter that must be a positive whole number, read where no route schema checks it. */
export function positiveIdParam(params: unknown, name: string): number {
  const raw = (params as Record<string, unknown> | undefined)?.[name];
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value <= 0) {
    throw apiError('request.invalid', { detail: `${name} must be a number (a positive whole number), not '${String(raw)}'` });
  }
  return value;
}

function describe(body: unknown): string {
  if (body === null || body === undefined || body === '') return 'empty or null';
  if (Array.isArray(body)) return 'an array';
  return `a ${typeof body}`;
}
