import * as oauth from 'oauth4webapi';
import { providerError } from '../http/errors.js';

/** What the provider's token endpoint granted. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string | undefined;
  expiresIn: number | undefined;
}

export interface TokenEndpoint {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Keap wants the client's credentials in the body for codes and in Basic for refreshes. */
  clientAuth: 'body' | 'basic';
}

/** Exchanges an authorization code at the provider's token endpoint (RFC 6749 §4.1.3). */
export async function exchangeCode(
  endpoint: TokenEndpoint,
  code: string,
  redirectUri: string,
): Promise<TokenGrant> {
  const { as, client, auth } = parties(endpoint);
  const callback = oauth.validateAuthResponse(
    as,
    client,
    new URLSearchParams({ code }),
    oauth.skipStateCheck,
  );
  return call(endpoint, 'the authorization code', async () => {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callback,
      redirectUri,
      oauth.nopkce,
      requestOptions(endpoint),
    );
    return oauth.processAuthorizationCodeResponse(as, client, response);
  });
}

/** Spends a refresh token for a new grant (RFC 6749 §6). */
export async function refreshGrant(endpoint: TokenEndpoint, refreshToken: string): Promise<TokenGrant> {
  const { as, client, auth } = parties(endpoint);
  return call(endpoint, 'the refresh token', async () => {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      auth,
      refreshToken,
      requestOptions(endpoint),
    );
    return oauth.processRefreshTokenResponse(as, client, response);
  });
}

function parties(endpoint: TokenEndpoint) {
  const as: oauth.AuthorizationServer = {
    issuer: new URL(endpoint.url).origin,
    token_endpoint: endpoint.url,
  };
  const client: oauth.Client = { client_id: endpoint.clientId };
  const auth =
    endpoint.clientAuth === 'basic'
      ? oauth.ClientSecretBasic(endpoint.clientSecret)
      : oauth.ClientSecretPost(endpoint.clientSecret);
  return { as, client, auth };
}

/** A token request that hangs is a transient failure, not a wait without end. */
const TIMEOUT_MS = 30_000;

function requestOptions(endpoint: TokenEndpoint) {
  return {
    [oauth.allowInsecureRequests]: insecure(endpoint.url),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  };
}

/**
 * How a failed token request should be treated:
 * - `grant-refused`: the grant is dead (used, expired or revoked); only the user can fix it;
 * - `transient`: the network, a timeout, a 5xx or a 429; trying again later may work;
 * - `refused`: any other refusal (e.g. bad client credentials); retrying will not help.
 */
export type TokenFailure = 'grant-refused' | 'transient' | 'refused';

/** Classifies an error thrown by `exchangeCode` or `refreshGrant`. */
export function tokenFailure(err: unknown): TokenFailure {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof oauth.ResponseBodyError) {
    if (cause.error === 'invalid_grant') return 'grant-refused';
    // Keap's newer wording for a dead refresh token (keap.md §2.6).
    if (/refresh token/i.test(cause.error_description ?? '')) return 'grant-refused';
    return retryableStatus(cause.status) ? 'transient' : 'refused';
  }
  if (cause instanceof oauth.OperationProcessingError && cause.cause instanceof Response) {
    return retryableStatus(cause.cause.status) ? 'transient' : 'refused';
  }
  if (cause instanceof oauth.WWWAuthenticateChallengeError) return 'refused';
  return 'transient';
}

function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** Plain http is allowed only on loopback, where the sandbox runs. */
function insecure(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

async function call(
  endpoint: TokenEndpoint,
  what: string,
  run: () => Promise<oauth.TokenEndpointResponse>,
): Promise<TokenGrant> {
  const evidence = { method: 'POST', url: endpoint.url };
  let result: oauth.TokenEndpointResponse;
  try {
    result = await run();
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      const message = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
      // A 401 from the token endpoint is about the client, not the code or refresh token.
      const refused = err.status === 401 ? 'the client id and secret (oauth.api.key, oauth.api.secret)' : what;
      return Promise.reject(
        providerError(
          'provider.rejected',
          { ...evidence, status: err.status, message, cause: err, httpStatus: 400 },
          { what: refused },
        ),
      );
    }
    throw providerError('provider.unreachable', { ...evidence, cause: err }, { what });
  }
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    expiresIn: result.expires_in,
  };
}
