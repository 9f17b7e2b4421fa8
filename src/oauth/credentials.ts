import type { Clock } from '../clock.js';
import type { Element } from '../elements/schema.js';
import { apiError } from '../http/errors.js';
import { exchangeCode, refreshGrant, type TokenEndpoint, type TokenGrant } from './token-endpoint.js';

/**
 * Obtains provider credentials for an instance's configuration: by exchanging an
 * authorization code, or by adopting a refresh token the app already holds.
 */
export class Credentials {
  constructor(private readonly clock: Clock) {}

  /** Exchanges a code at the element's token URL; the result is configuration entries. */
  async exchange(
    element: Element,
    configuration: Record<string, string>,
    code: string,
  ): Promise<Record<string, string>> {
    const endpoint = tokenEndpoint(element, configuration, 'code');
    const grant = await exchangeCode(endpoint, code, configuration['oauth.callback.url'] ?? '');
    return grantEntries(grant, undefined, this.clock.now());
  }

  /** `externalAuthentication: "initial"`: provisions from a supplied refresh token. */
  async adoptRefreshToken(
    element: Element,
    configuration: Record<string, string>,
  ): Promise<Record<string, string>> {
    const refreshToken = configuration['oauth.user.refresh_token'];
    if (!refreshToken) throw apiError('instance.configuration-missing', { keys: ['oauth.user.refresh_token'] });
    const grant = await refreshGrant(tokenEndpoint(element, configuration, 'refresh'), refreshToken);
    return grantEntries(grant, refreshToken, this.clock.now());
  }
}

/**
 * The configuration entries a grant sets: the tokens, when it was obtained and when the
 * access token expires (`oauth.user.token.expires_at`, epoch ms).
 */
export function grantEntries(
  grant: TokenGrant,
  previousRefreshToken: string | undefined,
  now: number,
): Record<string, string> {
  const entries: Record<string, string> = {
    'oauth.user.token': grant.accessToken,
    'oauth.user.refresh_time': String(now),
  };
  // A response without a refresh token keeps the one we have (RFC 6749 §6).
  const refreshToken = grant.refreshToken ?? previousRefreshToken;
  if (refreshToken) entries['oauth.user.refresh_token'] = refreshToken;
  if (grant.expiresIn !== undefined) {
    entries['oauth.user.token.expires_at'] = String(now + grant.expiresIn * 1000);
  }
  return entries;
}

/** The token endpoint of an element, with the instance's client credentials. */
export function tokenEndpoint(
  element: Element,
  configuration: Record<string, string>,
  grant: 'code' | 'refresh',
): TokenEndpoint {
  const tokenUrl = configuration['oauth.token.url'] ?? '';
  return {
    url: grant === 'refresh' ? configuration['oauth.token.refresh_url'] || tokenUrl : tokenUrl,
    clientId: configuration['oauth.api.key'] ?? '',
    clientSecret: configuration['oauth.api.secret'] ?? '',
    clientAuth: grant === 'refresh' ? element.provider.oauth.refreshClientAuth : element.provider.oauth.codeClientAuth,
  };
}
