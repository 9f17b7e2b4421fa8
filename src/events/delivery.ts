import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { Clock } from '../clock.js';
import type { Instance } from '../instances/model.js';
import { claimDelivery, recordAttempt, subscriptionActive, type AttemptOutcome } from '../store/deliveries.js';
import { setEventStatus } from '../store/events.js';
import type { Database } from '../store/open.js';
import type { DeliveryRow, EventRow } from '../store/schema.js';
import { events } from '../store/schema.js';
import { eq } from 'drizzle-orm';
import { accountRetryPolicy } from './account-policy.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';
import { readEventSettings } from './settings.js';
import { signBody } from './signature.js';

export interface DeliveryDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** The hub's policy; an account's `notification.webhook.failure.policy` overrides its mode. */
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
  const now = () => new Date(deps.clock.now());
  if (!settings.callbackUrl) {
    await hold(deps, delivery, null, 'the instance has no event.notification.callback.url');
    log.warn({ status: 'queued' }, 'delivery has no callback url');
    return;
  }
  if (!(await subscriptionActive(deps.db, delivery.instanceId))) {
    await hold(deps, delivery, settings.callbackUrl, INACTIVE);
    log.info({ status: 'queued' }, 'delivery queued: the subscription is inactive');
    return;
  }

  await setEventStatus(deps.db, event.id, 'DISPATCHED', now());
  const attempts = delivery.attempts + 1;
  const result = await post(settings.callbackUrl, event, settings.signatureKey, deps.timeoutMs);
  if (result.ok) {
    const outcome: AttemptOutcome = {
      status: 'delivered',
      attempts,
      nextAttemptAt: null,
      url: settings.callbackUrl,
      lastStatus: result.status,
      lastError: null,
    };
    await recordAttempt(deps.db, delivery.id, outcome, now());
    await setEventStatus(deps.db, event.id, 'NOTIFIED', now());
    log.debug({ attempts }, 'event delivered');
    return;
  }

  const policy = await accountRetryPolicy(deps.db, deps.policy, event.organizationId);
  const outcome = failed(policy, attempts, now(), settings.callbackUrl, result.status ?? null, result.error);
  // Spent retries (not an account that queues at once) deactivate the subscription (spec §6.5).
  const lastRetry = outcome.status === 'queued' && policy.mode === 'retry';
  await recordAttempt(deps.db, delivery.id, outcome, now(), lastRetry ? delivery.instanceId : undefined);
  log.info({ attempts, status: outcome.status, callbackStatus: result.status, err: result.error }, 'delivery failed');
  if (lastRetry) log.warn({ attempts }, 'subscription deactivated after the last retry; later events are queued');
}

const INACTIVE =
  'not attempted: the subscription was deactivated after a delivery failed its last retry; ' +
  'PUT /notifications/subscriptions/deliveries redelivers and reactivates it';

/** Queues a delivery without attempting it; the error of an earlier attempt is kept. */
async function hold(deps: DeliveryDeps, delivery: DeliveryRow, url: string | null, why: string): Promise<void> {
  const outcome: AttemptOutcome = {
    status: 'queued',
    attempts: delivery.attempts,
    nextAttemptAt: null,
    url: url ?? delivery.url,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError ?? why,
  };
  await recordAttempt(deps.db, delivery.id, outcome, new Date(deps.clock.now()));
}

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
