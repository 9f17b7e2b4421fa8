import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { Clock } from '../clock.js';
import { accountRetryPolicy } from '../events/account-policy.js';
import { retryDelay, type RetryPolicy } from '../events/retry-policy.js';
import {
  claimNotificationDelivery,
  recordNotificationAttempt,
  type ClaimedNotificationDelivery,
  type NotificationAttempt,
} from '../store/notifications.js';
import type { Database } from '../store/open.js';
import type { Mailer } from './mail.js';
import { notificationView } from './views.js';

export interface NotificationDeliveryDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** The hub's policy; an account's `notification.webhook.failure.policy` overrides its mode. */
  policy: RetryPolicy;
  timeoutMs: number;
  /** Sends `email` deliveries; without it they are queued, not attempted. */
  mailer: Mailer | undefined;
}

/** Added to the callback timeout: a live sender never loses its lease, a dead one soon does. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Sends one generic notification to one webhook or email subscription if the delivery is still
 * due and no other process holds it; returns whether it was attempted. Failures follow the
 * account's policy like event deliveries (spec §6.5): retries at 2^(exponent·x) s, then `queued`
 * and the subscription deactivated; or `queued` at once. An email delivery while the hub has no
 * mail transport is queued without an attempt, to be redelivered once one is configured.
 */
export async function deliverNotificationDue(
  deps: NotificationDeliveryDeps,
  id: number,
): Promise<boolean> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now + deps.timeoutMs + LEASE_MARGIN_MS);
  const claimed = await claimNotificationDelivery(deps.db, id, new Date(now), leaseUntil);
  if (!claimed) return false;
  await deliverOne(deps, claimed);
  return true;
}

async function deliverOne(
  deps: NotificationDeliveryDeps,
  claimed: ClaimedNotificationDelivery,
): Promise<void> {
  const { delivery, notification, subscription } = claimed;
  const log = deps.log.child({ notificationDeliveryId: delivery.id, notificationId: notification.id });
  const now = () => new Date(deps.clock.now());
  const unsendable = subscription.active ? unsendableEmail(deps, claimed) : (delivery.lastError ?? INACTIVE);
  if (unsendable !== undefined) {
    const held: NotificationAttempt = {
      status: 'queued',
      attempts: delivery.attempts,
      nextAttemptAt: null,
      lastStatus: delivery.lastStatus,
      lastError: unsendable,
    };
    await recordNotificationAttempt(deps.db, delivery, held, now(), false);
    log.info({ status: 'queued', reason: unsendable }, 'notification delivery queued without an attempt');
    return;
  }

  const attempts = delivery.attempts + 1;
  const result =
    deps.mailer && subscription.channel === 'email'
      ? await mail(deps.mailer, claimed)
      : await post(delivery.url, JSON.stringify(notificationView(notification)), deps.timeoutMs);
  if (result.ok) {
    const outcome: NotificationAttempt = {
      status: 'delivered',
      attempts,
      nextAttemptAt: null,
      lastStatus: result.status,
      lastError: null,
    };
    await recordNotificationAttempt(deps.db, delivery, outcome, now(), false);
    return;
  }

  const policy = await accountRetryPolicy(deps.db, deps.policy, notification.organizationId);
  const delay = retryDelay(policy, attempts);
  const outcome: NotificationAttempt = {
    status: delay === undefined ? 'queued' : 'retry',
    attempts,
    nextAttemptAt: delay === undefined ? null : new Date(deps.clock.now() + delay),
    lastStatus: result.status ?? null,
    lastError: result.error,
  };
  const lastRetry = outcome.status === 'queued' && policy.mode === 'retry';
  await recordNotificationAttempt(deps.db, delivery, outcome, now(), lastRetry);
  log.info({ attempts, status: outcome.status, callbackStatus: result.status }, 'notification delivery failed');
  if (lastRetry) log.warn({ subscriptionId: subscription.id }, 'subscription deactivated after the last retry');
}

const INACTIVE =
  'not attempted: the subscription was deactivated after a delivery failed its last retry; ' +
  'PUT /notifications/subscriptions/deliveries redelivers and reactivates it';

const NO_TRANSPORT =
  'not attempted: this hub has no mail transport; set JUNCTION_SMTP_URL (and JUNCTION_SMTP_FROM), ' +
  'then PUT /notifications/subscriptions/deliveries redelivers it';

function unsendableEmail(deps: NotificationDeliveryDeps, claimed: ClaimedNotificationDelivery) {
  return claimed.subscription.channel === 'email' && !deps.mailer ? NO_TRANSPORT : undefined;
}

type SendResult =
  | { ok: true; status: number | null }
  | { ok: false; status?: number | null; error: string };

/**
 * One email of the notification to the subscription's addresses (`config.email`): the subject
 * names severity and topic, the text is the message (an object as indented JSON).
 */
async function mail(mailer: Mailer, claimed: ClaimedNotificationDelivery): Promise<SendResult> {
  const { notification, subscription } = claimed;
  const email = subscription.config['email'];
  const to = (Array.isArray(email) ? email : [email]).map(String);
  const subject = `[${notification.severity}] ${notification.topic}`;
  const message = notification.message;
  const text = typeof message === 'string' ? message : JSON.stringify(message, null, 2);
  const from = notification.from === null ? '' : `\n\nfrom: ${notification.from}`;
  return mailer.send({ to, subject, text: `${text}${from}` });
}

/** One POST of the notification JSON, with a fresh `Elements-Webhook-Id` per attempt. */
async function post(url: string, body: string, timeoutMs: number): Promise<SendResult> {
  const headers = { 'content-type': 'application/json', 'elements-webhook-id': randomUUID() };
  try {
    const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
    const response = await request(url, { method: 'POST', headers, body, ...timeouts });
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, status, error: `the subscription's url answered ${status}` };
  } catch (err) {
    return { ok: false, error: `the subscription's url could not be reached: ${(err as Error).message}` };
  }
}
