import { randomBytes } from 'node:crypto';

/** A user secret or instance token: base64 of 32 random bytes (44 characters ending in `=`). */
export function newBase64Secret(): string {
  return randomBytes(32).toString('base64');
}

/** An organization secret: 32 lowercase hex characters. */
export function newHexSecret(): string {
  return randomBytes(16).toString('hex');
}
