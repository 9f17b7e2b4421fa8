import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { hashSecret } from '../crypto/cipher.js';
import { apiError } from '../http/errors.js';

/** How long a console session lasts after sign-in, whatever is done with it. */
export const SESSION_MS = 8 * 60 * 60_000;
/** How long a provider sign-in started from the console may take. */
export const OAUTH_STATE_MS = 10 * 60_000;

/** The secrets a session holds, so the hub can call its own API on the user's behalf. */
export interface SessionSecrets {
  user: string;
  organization: string;
}

/** A provider sign-in started from the console, waiting for its callback. */
export interface PendingSignIn {
  elementKey: string;
  /** Re-authenticates this instance instead of creating one. */
  instanceId: number | undefined;
  name: string;
  tags: string[];
  /** Configuration for `POST /instances`, client secret included: it never leaves the server. */
  configuration: Record<string, string>;
  expiresAt: number;
}

export interface Session {
  secrets: SessionSecrets;
  expiresAt: number;
  pending: Map<string, PendingSignIn>;
}

/**
 * Console sessions, in this process's memory. Org and user secrets are stored only as hashes,
 * so a session is the one place the plain secrets live: it is created when a user signs in with
 * them and forgotten at sign-out, expiry or restart. Sessions are found by the hash of their
 * cookie value, so the map never holds a usable cookie.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly clock: Clock) {}

  /** Starts a session and returns the cookie value that names it. */
  create(secrets: SessionSecrets): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.clock.now() + SESSION_MS;
    this.sessions.set(hashSecret(id), { secrets, expiresAt, pending: new Map() });
    return id;
  }

  find(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(hashSecret(id));
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(hashSecret(id));
      return undefined;
    }
    return session;
  }

  /** The session or the `console.session-missing` error. */
  require(id: string | undefined): Session {
    const session = this.find(id);
    if (!session) throw apiError('console.session-missing');
    return session;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(hashSecret(id));
  }

  /** Remembers a provider sign-in and returns its `state`: random, for this session only. */
  startSignIn(session: Session, signIn: Omit<PendingSignIn, 'expiresAt'>): string {
    const state = randomBytes(24).toString('base64url');
    session.pending.set(state, { ...signIn, expiresAt: this.clock.now() + OAUTH_STATE_MS });
    return state;
  }

  /**
   * Takes the sign-in a callback's `state` names, once: a second callback with the same state
   * finds nothing. A state of another session is unknown here, as is one never issued.
   */
  finishSignIn(session: Session, state: string | undefined): PendingSignIn {
    const pending = state === undefined ? undefined : session.pending.get(state);
    if (!pending || state === undefined) throw apiError('console.state-invalid');
    session.pending.delete(state);
    if (pending.expiresAt <= this.clock.now()) {
      throw apiError('console.state-expired', { minutes: OAUTH_STATE_MS / 60_000 });
    }
    return pending;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
    }
  }
}
