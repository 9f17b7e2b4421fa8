import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

export interface VendorRequest {
  method: string;
  /** Absolute URL, query included. */
  url: URL;
  accessToken: string;
  body?: string | undefined;
  /** Extra request headers (a hook handshake's secret); they cannot replace the authorization. */
  headers?: Record<string, string> | undefined;
}

export interface VendorResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * HTTP to providers: one keep-alive undici pool per origin, shared by every instance that
 * calls it.
 */
export class VendorClient {
  private readonly pools = new Map<string, Pool>();

  async send(request: VendorRequest): Promise<VendorResponse> {
    const response = await this.pool(request.url.origin).request({
      method: request.method as 'GET',
      path: request.url.pathname + request.url.search,
      headers: {
        ...request.headers,
        authorization: `Bearer ${request.accessToken}`,
        accept: 'application/json',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: request.body ?? null,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/**
 * The provider's own words from an error body: JSON `message`, a gateway `fault`, an OAuth
 * `error_description`, or the `<title>` of an HTML page.
 */
export function providerMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      const fault = body['fault'] as { faultstring?: unknown } | undefined;
      const candidates = [body['message'], fault?.faultstring, body['error_description'], body['error']];
      const found = candidates.find((c) => typeof c === 'string' && c !== '');
      if (typeof found === 'string') return found;
    } catch {
      // not JSON after all: fall through
    }
  }
  const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
  if (title) return title;
  return trimmed === '' ? undefined : trimmed.slice(0, 500);
}
