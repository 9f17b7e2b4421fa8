import type { App } from '../http/server.js';
import { BASE_PATH } from '../http/server.js';
import type { SessionSecrets } from './sessions.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Below the API base, e.g. `/instances?searchText=x`. */
  path: string;
  body?: string | Buffer | undefined;
  contentType?: string | undefined;
  /** Adds `Element <token>` to the header, for hub calls. */
  elementToken?: string | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
  json<T>(): T;
}

/**
 * Calls the hub's public API on behalf of a console session: the same routes, authentication,
 * validation and error bodies an outside client gets, with the session's secrets in the
 * `Authorization` header. `inject` only skips the socket.
 */
export async function callApi(
  app: App,
  secrets: SessionSecrets,
  request: ApiRequest,
): Promise<ApiResponse> {
  const parts = [`User ${secrets.user}`, `Organization ${secrets.organization}`];
  if (request.elementToken) parts.push(`Element ${request.elementToken}`);
  const headers: Record<string, string> = { authorization: parts.join(', ') };
  if (request.contentType) headers['content-type'] = request.contentType;
  const response = await app.inject({
    method: request.method,
    url: `${BASE_PATH}${request.path}`,
    headers,
    ...(request.body !== undefined ? { payload: request.body } : {}),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.rawPayload,
    json: <T>() => JSON.parse(response.body) as T,
  };
}
