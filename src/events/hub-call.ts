import { apiError } from '../http/errors.js';
import type { OperationMatcher } from '../hub/match.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import { proxy, type HubReply } from '../hub/proxy.js';
import type { Instance } from '../instances/model.js';

export interface HubAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Calls one of the instance's hub APIs from inside Junction, exactly as an app would over
 * HTTP (matching, CEQL, paging, null filtering), minus the HTTP. Errors are the hub's own
 * `ApiError`s, so a poll fails with the message an app would have seen.
 */
export async function callHub(
  deps: { matcher: OperationMatcher; provider: ProviderCaller },
  instance: Instance,
  method: 'GET',
  pathAndQuery: string,
): Promise<HubAnswer> {
  const url = new URL(pathAndQuery, 'http://hub.invalid');
  const path = url.pathname.replace(/^\/hubs\/[^/]+/, '') || '/';
  const matched = deps.matcher.match(instance.element, method, path);
  if (!matched) throw apiError('hub.resource-not-found', { method, path, element: instance.element.name });
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  const answer: HubAnswer = { status: 200, headers: {}, body: undefined };
  const recorder: HubReply = {
    header: (name, value) => {
      answer.headers[name.toLowerCase()] = value;
    },
    code: (status) => {
      answer.status = status;
      return {
        send: (payload) => {
          answer.body = payload;
        },
      };
    },
  };
  await proxy(deps.provider, { instance, matched, query, body: undefined }, recorder);
  return answer;
}
