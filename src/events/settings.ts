import type { Element } from '../elements/schema.js';

export type Mechanism = 'polling' | 'webhook';

/** An instance's `event.*` configuration (spec §4.1), read fresh on every use. */
export interface EventSettings {
  enabled: boolean;
  mechanism: Mechanism;
  callbackUrl: string | undefined;
  /** Undefined or empty means "do not sign" (existing clients send `""`). */
  signatureKey: string | undefined;
  /** Minutes between polls. */
  refreshInterval: number;
}

const DEFAULT_REFRESH_MINUTES = 15;

/** `true` arrives as a string or a boolean turned into one; both mean on. */
export function readEventSettings(element: Element, configuration: Record<string, string>): EventSettings {
  const interval = Number(configuration['event.poller.refresh_interval']);
  const key = configuration['event.notification.signature.key'];
  return {
    enabled: configuration['event.notification.enabled']?.toLowerCase() === 'true',
    mechanism: readMechanism(element, configuration['event.vendor.type']),
    callbackUrl: configuration['event.notification.callback.url']?.trim() || undefined,
    signatureKey: key ? key : undefined,
    refreshInterval: Number.isFinite(interval) && interval >= 1 ? interval : DEFAULT_REFRESH_MINUTES,
  };
}

/** `webhook` and `webhooks` are both written (spec §4.1); without one, the element's first method. */
function readMechanism(element: Element, value: string | undefined): Mechanism {
  const wanted = value?.trim().toLowerCase();
  if (wanted === 'webhook' || wanted === 'webhooks') return 'webhook';
  if (wanted === 'polling') return 'polling';
  return element.events.methods[0] ?? 'polling';
}
