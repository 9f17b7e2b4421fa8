/**
 * In-memory store of authorization codes, grants and the tokens issued under them.
 *
 * Keap's rules modelled here (keap.md §2.5, §9.1):
 * - a code is single use and short lived;
 * - every refresh rotates the refresh token: the old one dies at once, a second use fails;
 * - the access token issued before a refresh stays valid until its own expiry;
 * - revoking a grant (the user disconnecting the app) kills every token issued under it.
 */
import { randomBytes } from 'node:crypto';

export interface Lifetimes {
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  codeSeconds: number;
}

export interface TokenSet {
  accessToken: string;
  /** Absent when a refresh keeps the refresh token (rotation turned off). */
  refreshToken?: string;
  expiresIn: number;
  scope: string;
}

export interface Grant {
  readonly id: string;
  readonly clientId: string;
  readonly scope: string;
  revoked: boolean;
}

interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  readonly grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  readonly grant: Grant;
  readonly expiresAt: number;
  rotated: boolean;
}

export type CodeOutcome =
  | { ok: true; tokens: TokenSet }
  | { ok: false; reason: 'invalid_code' | 'redirect_mismatch' };

export type RefreshOutcome =
  | { ok: true; tokens: TokenSet }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'revoked' | 'wrong_client' };

export interface GrantStoreOptions {
  now: () => number;
  lifetimes: Lifetimes;
  /** Scope string echoed in token responses: `full|<tenant host>`. */
  scopeFor: (scope: string) => string;
  /** Called with every code and token minted, so tests can prove none leaks into logs. */
  onIssue: (secret: string) => void;
  /**
   * Whether a refresh rotates the refresh token (Keap's behaviour). When false, a refresh
   * answers without `refresh_token` and the one spent stays usable (RFC 6749 §6 allows it).
   */
  rotateRefreshTokens: () => boolean;
}

/** Opaque, unguessable token text. */
function mint(): string {
  return randomBytes(24).toString('base64url');
}

export class GrantStore {
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #accessTokens = new Map<string, AccessToken>();
  readonly #refreshTokens = new Map<string, RefreshToken>();
  readonly #grants: Grant[] = [];

  constructor(private readonly options: GrantStoreOptions) {}

  issueCode(clientId: string, redirectUri: string, scope: string): string {
    const code = this.#issue();
    const expiresAt = this.options.now() + this.options.lifetimes.codeSeconds * 1000;
    this.#codes.set(code, { clientId, redirectUri, scope, expiresAt, used: false });
    return code;
  }

  /** Exchanges a code; a failed redirect check leaves the code usable, as nothing was issued. */
  redeemCode(
    code: string | undefined,
    clientId: string,
    redirectUri: string | undefined,
  ): CodeOutcome {
    const entry = code === undefined ? undefined : this.#codes.get(code);
    const usable = entry && !entry.used && entry.expiresAt > this.options.now();
    if (!entry || !usable || entry.clientId !== clientId) {
      return { ok: false, reason: 'invalid_code' };
    }
    if (redirectUri !== entry.redirectUri) {
      return { ok: false, reason: 'redirect_mismatch' };
    }

    entry.used = true;
    const grant: Grant = { id: mint(), clientId, scope: entry.scope, revoked: false };
    this.#grants.push(grant);
    return { ok: true, tokens: this.#issueTokens(grant) };
  }

  refresh(refreshToken: string | undefined, clientId: string): RefreshOutcome {
    const entry = refreshToken === undefined ? undefined : this.#refreshTokens.get(refreshToken);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.grant.clientId !== clientId) return { ok: false, reason: 'wrong_client' };
    if (entry.rotated) return { ok: false, reason: 'reused' };
    if (entry.grant.revoked) return { ok: false, reason: 'revoked' };
    if (entry.expiresAt <= this.options.now()) return { ok: false, reason: 'expired' };

    if (!this.options.rotateRefreshTokens()) {
      return { ok: true, tokens: this.#issueTokens(entry.grant, false) };
    }
    entry.rotated = true;
    return { ok: true, tokens: this.#issueTokens(entry.grant) };
  }

  /** The live access token behind a bearer string, or undefined if unknown, expired or revoked. */
  authenticate(token: string | undefined): AccessToken | undefined {
    const entry = token === undefined ? undefined : this.#accessTokens.get(token);
    if (!entry || entry.grant.revoked || entry.expiresAt <= this.options.now()) return undefined;
    return entry;
  }

  /** Every access token issued so far expires now; later ones are unaffected. */
  expireAccessTokens(): number {
    const now = this.options.now();
    for (const entry of this.#accessTokens.values()) {
      entry.expiresAt = Math.min(entry.expiresAt, now);
    }
    return this.#accessTokens.size;
  }

  /** Simulates the user disconnecting the app: refresh fails and the API answers 401. */
  revokeGrants(): number {
    for (const grant of this.#grants) grant.revoked = true;
    return this.#grants.length;
  }

  clear(): void {
    this.#codes.clear();
    this.#accessTokens.clear();
    this.#refreshTokens.clear();
    this.#grants.length = 0;
  }

  #issueTokens(grant: Grant, withRefreshToken = true): TokenSet {
    const { now, lifetimes, scopeFor } = this.options;
    const accessToken = this.#issue();
    const issuedAt = now();

    this.#accessTokens.set(accessToken, {
      grant,
      expiresAt: issuedAt + lifetimes.accessTokenSeconds * 1000,
    });
    const tokens = { accessToken, expiresIn: lifetimes.accessTokenSeconds, scope: scopeFor(grant.scope) };
    if (!withRefreshToken) return tokens;
    const refreshToken = this.#issue();
    this.#refreshTokens.set(refreshToken, {
      grant,
      expiresAt: issuedAt + lifetimes.refreshTokenSeconds * 1000,
      rotated: false,
    });
    return { ...tokens, refreshToken };
  }

  #issue(): string {
    const secret = mint();
    this.options.onIssue(secret);
    return secret;
  }
}
