import type { ProvisionedInstance, Stack } from './stack.js';

/** What `GET /_control/stats` reports. */
export interface SandboxStats {
  tokenRequests: { authorization_code: number; refresh_token: number };
  refreshTokenReuse: number;
  apiRequests: number;
  quotaRefusals: { spike: number; minute: number; day: number; tenant: number };
  issued: string[];
}

/** A call to the sandbox's control API. */
export async function control(stack: Stack, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.sandboxUrl}/_control${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  if (res.status >= 300) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function stats(stack: Stack): Promise<SandboxStats> {
  return (await control(stack, 'GET', '/stats')) as SandboxStats;
}

/** A hub call with an instance's token; the body is parsed when it is JSON. */
export async function hubGet(
  stack: Stack,
  instance: ProvisionedInstance,
  path = '/hubs/ecommerce/orders?pageSize=1',
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${stack.api}${path}`, { headers: { authorization: instance.hubAuth } });
  const text = await res.text();
  const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: res.status, body, headers: res.headers };
}

/** The instance JSON as the platform API shows it. */
export async function instanceJson(stack: Stack, id: number): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.api}/instances/${id}`, { headers: { authorization: stack.platformAuth } });
  return (await res.json()) as Record<string, unknown>;
}
