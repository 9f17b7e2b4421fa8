/**
 * REST hooks as Keap keeps them (keap.md §5): `{key, eventKey, hookUrl, status}`, camelCase
 * unlike the rest of v1. Verification posts a temporary secret in `X-Hook-Secret` to the hook
 * URL; only an answer of 200 echoing it verifies the hook at once (immediate verification).
 * Otherwise the receiver may confirm later with `delayedVerify` and the same secret.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';

export type HookStatus = 'Unverified' | 'Verified' | 'Inactive';

export interface Hook {
  key: string;
  eventKey: string;
  hookUrl: string;
  status: HookStatus;
  /** The secret of the last verification attempt, for `delayedVerify`. */
  secret: string | undefined;
}

export const EVENT_KEYS = [
  'contact.add', 'contact.delete', 'contact.edit',
  'order.add', 'order.delete', 'order.edit',
  'product.add', 'product.delete', 'product.edit',
  'invoice.add', 'invoice.delete', 'invoice.edit',
  'subscription.add', 'subscription.delete', 'subscription.edit',
];

/**
 * A handshake that goes wrong, for tests: `unreachable` never reaches the receiver, `lost-reply`
 * reaches it but its answer is lost (as when it comes after Keap's timeout). Either way the hook
 * stays `Unverified`, as in keap.md §9 item 7.
 */
export type HandshakeFault = 'unreachable' | 'lost-reply';

export class HookRegistry {
  readonly #hooks = new Map<string, Hook>();
  readonly #handshakeFaults: HandshakeFault[] = [];
  #next = 1;

  constructor(private readonly timeoutMs: number) {}

  all(): Hook[] {
    return [...this.#hooks.values()];
  }

  get(key: string): Hook | undefined {
    return this.#hooks.get(key);
  }

  create(eventKey: string, hookUrl: string): Hook {
    const hook: Hook = { key: String(this.#next++), eventKey, hookUrl, status: 'Unverified', secret: undefined };
    this.#hooks.set(hook.key, hook);
    return hook;
  }

  delete(key: string): boolean {
    return this.#hooks.delete(key);
  }

  clear(): void {
    this.#hooks.clear();
    this.#handshakeFaults.length = 0;
  }

  /** The next `times` handshakes go wrong as `fault` says. */
  failHandshakes(fault: HandshakeFault, times: number): void {
    for (let i = 0; i < times; i++) this.#handshakeFaults.push(fault);
  }

  /** Immediate verification: a POST carrying a fresh secret, verified on 200 plus the echo. */
  async verify(hook: Hook): Promise<Hook> {
    hook.secret = randomBytes(16).toString('hex');
    const fault = this.#handshakeFaults.shift();
    if (fault === 'unreachable') {
      hook.status = 'Unverified';
      return hook;
    }
    try {
      const response = await request(hook.hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hook-secret': hook.secret },
        body: JSON.stringify({ eventKey: hook.eventKey, verification: true }),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await response.body.dump();
      const echoed = response.headers['x-hook-secret'];
      const echoedBack = response.statusCode === 200 && echoed === hook.secret && fault === undefined;
      hook.status = echoedBack ? 'Verified' : 'Unverified';
    } catch {
      hook.status = 'Unverified';
    }
    return hook;
  }

  /** Delayed verification: the receiver sends back the secret it was given. */
  delayedVerify(hook: Hook, secret: string | undefined): Hook {
    if (secret !== undefined && secret === hook.secret) hook.status = 'Verified';
    return hook;
  }
}

/** A hook as the API shows it (without its secret). */
export function hookView(hook: Hook) {
  return { key: hook.key, eventKey: hook.eventKey, hookUrl: hook.hookUrl, status: hook.status };
}
