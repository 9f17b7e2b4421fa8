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
      { [oauth.allowInsecureRequests]: insecure(endpoint.url) },
    );
    return oauth.processAuthorizationCodeResponse(as, client, response);
  });
}

/** Spends a refresh token for a new grant (RFC 6749 §6). */
export async function refreshGrant(endpoint: TokenEndpoint, refreshToken: string): Promise<TokenGrant> {
  const { as, client, auth } = parties(endpoint);
  return call(endpoint, 'the refresh token', async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
      [oauth.allowInsecureRequests]: insecure(endpoint.url),
    });
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
      return Promise.reject(
        providerError(
          'provider.rejected',
          { ...evidence, status: err.status, message, cause: err, httpStatus: 400 },
          { what },
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
