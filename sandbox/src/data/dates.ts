/**
 * Stand-in: `sandbox/src/data` was never committed (the root `.gitignore` entry `data/` hid
 * it). This is the smallest module the sandbox needs to start; replace it with the real one.
 *
 * Keap REST v1 writes dates as `2017-01-01T22:17:59.039+0000`.
 */
export function formatV1Date(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatV1DateOrNull(ms: number | null): string | null {
  return ms === null ? null : formatV1Date(ms);
}

/** Epoch ms of an ISO-8601 date-time (any offset spelling), or undefined. */
export function parseIsoDateTime(text: string): number | undefined {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(normalized)) return undefined;
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}
