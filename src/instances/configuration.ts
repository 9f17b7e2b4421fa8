import type { Element } from '../elements/schema.js';

export const MASK = '********';

/** Keys that are secret for every element, whatever its definition says. */
const alwaysSecret = new Set([
  'oauth.api.key',
  'oauth.api.secret',
  'oauth.user.token',
  'oauth.user.refresh_token',
  'oauth.user.token.secret',
  'password',
  'event.notification.signature.key',
]);

export function isSecretKey(element: Element, key: string): boolean {
  if (alwaysSecret.has(key)) return true;
  return element.configuration.some((c) => c.key === key && (c.secret || c.type === 'PASSWORD'));
}

/**
 * Configuration values arrive as strings, booleans, numbers or (for poller configuration)
 * objects; they are stored as strings, objects JSON-encoded (spec §3.2).
 */
export function normalizeValues(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** The element's default values, under which the supplied configuration is merged. */
export function withDefaults(element: Element, supplied: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const c of element.configuration) {
    if (c.defaultValue !== undefined) merged[c.key] = c.defaultValue;
  }
  for (const [key, value] of Object.entries(supplied)) {
    if (value !== '' || merged[key] === undefined) merged[key] = value;
  }
  return merged;
}

/** Required keys that are absent or empty. */
export function missingRequired(element: Element, configuration: Record<string, string>): string[] {
  return element.configuration
    .filter((c) => c.required && !configuration[c.key]?.trim())
    .map((c) => c.key);
}

/** A copy with every secret value replaced by the mask. */
export function masked(element: Element, configuration: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    out[key] = isSecretKey(element, key) ? MASK : value;
  }
  return out;
}

/** Splits configuration into the entries stored in the clear and the secret ones. */
export function splitSecrets(
  element: Element,
  configuration: Record<string, string>,
): { plain: Record<string, string>; secret: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    (isSecretKey(element, key) ? secret : plain)[key] = value;
  }
  return { plain, secret };
}

/** Strips HTML tags, keeping inner text (`<a href=…>@xss</a>` → `@xss`). */
export function stripHtml(text: string): string {
  return text.replace(/<[^>]*>?/g, '').trim();
}
