import type { Element } from '../elements/schema.js';

export interface AuthorizeUrlInput {
  apiKey: string;
  callbackUrl: string;
  state?: string | undefined;
  scope?: string | undefined;
}

/**
 * The provider's authorize URL for an OAuth 2 element (spec §2.5): the element's
 * `oauth.authorization.url` with `response_type=code`, the client id, the redirect URI, the
 * scope and `state` (the element key unless the caller chose one).
 */
export function authorizeUrl(element: Element, input: AuthorizeUrlInput): string {
  const defaults = new Map(element.configuration.map((c) => [c.key, c.defaultValue]));
  const url = new URL(defaults.get('oauth.authorization.url') ?? '');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.apiKey);
  url.searchParams.set('redirect_uri', input.callbackUrl);
  const scope = input.scope ?? defaults.get('oauth.scope');
  if (scope) url.searchParams.set('scope', scope);
  url.searchParams.set('state', input.state ?? element.key);
  return url.toString();
}
