/**
 * When an instance's provider tokens should be refreshed without waiting for a 401.
 *
 * Keap's access tokens live 24 hours and its refresh tokens 45 days (keap.md §2.5); every
 * refresh rotates the refresh token, so an instance nobody calls must still be refreshed now
 * and then or its grant lapses (§9 item 2).
 */

/** The most we refresh ahead of an access token's expiry. */
const MAX_MARGIN_MS = 5 * 60_000;

/** Idle instances are refreshed once their last refresh is this old (Keap staff advise ~30 days). */
export const IDLE_REFRESH_MS = 30 * 86_400_000;

/**
 * Whether the access token should be replaced before it is used: it expires within the margin
 * (a tenth of its lifetime, at most five minutes), or `oauth.user.refresh_interval` seconds
 * have passed since the last refresh. Without an expiry or interval, only a 401 tells.
 */
export function accessTokenDue(configuration: Record<string, string>, now: number): boolean {
  const refreshedAt = epoch(configuration['oauth.user.refresh_time']);
  const expiresAt = epoch(configuration['oauth.user.token.expires_at']);
  if (expiresAt !== undefined) {
    const lifetime = refreshedAt !== undefined ? expiresAt - refreshedAt : Infinity;
    const margin = Math.min(MAX_MARGIN_MS, Math.max(0, lifetime) / 10);
    if (now >= expiresAt - margin) return true;
  }
  const interval = Number(configuration['oauth.user.refresh_interval']);
  if (refreshedAt !== undefined && Number.isFinite(interval) && interval > 0) {
    return now >= refreshedAt + interval * 1000;
  }
  return false;
}

/** Whether the refresh token has gone unused long enough to risk lapsing. */
export function idleDue(configuration: Record<string, string>, now: number): boolean {
  const refreshedAt = epoch(configuration['oauth.user.refresh_time']);
  return refreshedAt === undefined || now - refreshedAt >= IDLE_REFRESH_MS;
}

function epoch(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : undefined;
}
