import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { Clock } from '../clock.js';
import type { Instance } from '../instances/model.js';
import { claimDelivery, recordAttempt, type AttemptOutcome } from '../store/deliveries.js';
import { setEventStatus } from '../store/events.js';
import type { Database } from '../store/open.js';
import type { DeliveryRow, EventRow } from '../store/schema.js';
import { events } from '../store/schema.js';
import { eq } from 'drizzle-orm';
import { retryDelay, type RetryPolicy } from './retry-policy.js';
import { readEventSettings } from './settings.js';
import { signBody } from './signature.js';

export interface DeliveryDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  policy: RetryPolicy;
  timeoutMs: number;
  openInstance(id: number): Promise<Instance | undefined>;
}

/** Added to the callback timeout: a live sender never loses its lease, a dead one soon does. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Sends one delivery if it is still due and no other process holds it; returns whether it was
 * sent. The lease need only outlast one callback, so a dead sender's delivery is soon free.
 */
export async function deliverDue(deps: DeliveryDeps, id: number): Promise<boolean> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now + deps.timeoutMs + LEASE_MARGIN_MS);
  const delivery = await claimDelivery(deps.db, id, new Date(now), leaseUntil);
  if (!delivery) return false;
  await deliverOne(deps, delivery);
  return true;
}

async function deliverOne(deps: DeliveryDeps, delivery: DeliveryRow): Promise<void> {
  const log = deps.log.child({ deliveryId: delivery.id, eventId: delivery.eventId, instanceId: delivery.instanceId });
  const [event] = await deps.db.select().from(events).where(eq(events.id, delivery.eventId));
  const instance = await deps.openInstance(delivery.instanceId);
  if (!event || !instance) return;
  const settings = readEventSettings(instance.element, instance.configuration);
  const attempts = delivery.attempts + 1;
  const now = () => new Date(deps.clock.now());
  if (!settings.callbackUrl) {
    const outcome = failed(deps.policy, attempts, now(), null, null, 'the instance has no event.notification.callback.url');
    await recordAttempt(deps.db, delivery.id, { ...outcome, status: 'queued', nextAttemptAt: null }, now());
    log.warn({ status: 'queued' }, 'delivery has no callback url');
    return;
  }
  await setEventStatus(deps.db, event.id, 'DISPATCHED', now());
  const result = await post(settings.callbackUrl, event, settings.signatureKey, deps.timeoutMs);
  if (result.ok) {
    const outcome: AttemptOutcome = {
      status: 'delivered', attempts, nextAttemptAt: null, url: settings.callbackUrl, lastStatus: result.status, lastError: null,
    };
    await recordAttempt(deps.db, delivery.id, outcome, now());
    await setEventStatus(deps.db, event.id, 'NOTIFIED', now());
    log.debug({ attempts }, 'event delivered');
    return;
  }
  const outcome = failed(deps.policy, attempts, now(), settings.callbackUrl, result.status ?? null, result.error);
  await recordAttempt(deps.db, delivery.id, outcome, now());
  log.info({ attempts, status: outcome.status, callbackStatus: result.status, err: result.error }, 'delivery failed');
}

// TODO(#5): deactivate the instance's subscription after the last retry and queue later events
// (spec §6.5), and read the policy per account — remove when the accounts settings API exists.
function failed(
  policy: RetryPolicy,
  attempts: number,
  now: Date,
  url: string | null,
  status: number | null,
  error: string,
): AttemptOutcome {
  const delay = retryDelay(policy, attempts);
  return {
    status: delay === undefined ? 'queued' : 'retry',
    attempts,
    nextAttemptAt: delay === undefined ? null : new Date(now.getTime() + delay),
    url,
    lastStatus: status,
    lastError: error,
  };
}

type PostResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * One POST of the stored body. `Elements-Webhook-Id` is new on every attempt; `eventId` in the
 * body stays the same, which is what receivers deduplicate on.
 */
async function post(url: string, event: EventRow, key: string | undefined, timeoutMs: number): Promise<PostResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'elements-webhook-id': randomUUID(),
  };
  if (key) headers['elements-webhook-signature'] = signBody(key, event.body);
  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body: event.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, status, error: `the callback answered ${status}` };
  } catch (err) {
    return { ok: false, error: `the callback could not be reached: ${(err as Error).message}` };
  }
}
