import { CALLBACK, CLIENT_ID, CLIENT_SECRET, provision, type HubClient, type ProvisionedInstance, type Stack } from './stack.js';

export const SIGNING_KEY = 'test-signing-key';

/** Provisions an Online Sales instance with events on, calling back `callbackUrl`. */
export function provisionWithEvents(
  stack: HubClient,
  callbackUrl: string,
  events: Record<string, unknown> = {},
): Promise<ProvisionedInstance> {
  return provision(stack, 'infusionsoftecommerce', {
    configuration: {
      'oauth.api.key': CLIENT_ID,
      'oauth.api.secret': CLIENT_SECRET,
      'oauth.callback.url': CALLBACK,
      'event.notification.enabled': true,
      'event.vendor.type': 'polling',
      'event.notification.callback.url': callbackUrl,
      'event.notification.signature.key': SIGNING_KEY,
      'event.poller.refresh_interval': '1',
      ...events,
    },
  });
}

/** Changes a record as if in Keap's own screens. */
export async function backoffice(stack: Pick<Stack, 'sandboxUrl'>, method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${stack.sandboxUrl}/_control/backoffice/${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`back office ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
}
