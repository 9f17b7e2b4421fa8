import { createCipheriv, createDecipheriv, createHash, hash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelopes for secrets at rest. Each value gets a fresh 96-bit IV, is bound to
 * the identity of the row and field it belongs to (associated data, so a ciphertext copied
 * to another row fails to open), and names the key that sealed it so keys can be rotated.
 *
 * Envelope: `jv1.<keyId>.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export class Cipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` seals new values; `previous` keys only open old ones (during a rotation). */
  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentKeyId = keyId(current);
  }

  seal(plaintext: string, context: string): string {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return ['jv1', this.currentKeyId, ...parts].join('.');
  }

  open(envelope: string, context: string): string {
    const [version, id, iv, tag, body] = envelope.split('.');
    if (version !== 'jv1' || !id || !iv || !tag || body === undefined) {
      throw new Error('not an encrypted value');
    }
    const key = this.keys.get(id);
    if (!key) throw new Error(`no encryption key with id ${id} is configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    return plain.toString('utf8');
  }

  /** The id of the key that sealed an envelope. */
  static keyIdOf(envelope: string): string | undefined {
    return envelope.split('.')[1];
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * SHA-256 hex of a high-entropy secret: enough for lookups, useless to an attacker. Every hub
 * call hashes two secrets; the one-shot `hash` costs half of a `createHash` object each.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}
