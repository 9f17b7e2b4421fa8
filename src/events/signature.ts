import { createHmac } from 'node:crypto';

/**
 * `Elements-Webhook-Signature` (spec §6.4): `sha256=` and the base64 HMAC-SHA256 of the exact
 * body bytes sent, keyed with `event.notification.signature.key`. Receivers recompute it over
 * the body they got, so the body must be signed as sent, never re-serialised.
 */
export function signBody(key: string, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('base64')}`;
}
