/**
 * What happens after a failed delivery (spec §6.5):
 * `retry` tries again `retries` times, waiting 2^(exponent·x) seconds before retry x
 * (by default 9 × 2^(2x): 4 s, 16 s, 64 s, … 262144 s, ≈ 97 h in all), then queues the delivery and deactivates
 * the instance's subscription; `queue` queues it at once. A queued delivery waits for
 * `PUT /notifications/subscriptions/deliveries`. The mode is the account's setting (see
 * `account-policy.ts`); retries and exponent are the hub's.
 */
export interface RetryPolicy {
  mode: 'retry' | 'queue';
  retries: number;
  exponent: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { mode: 'retry', retries: 9, exponent: 2 };

/** Milliseconds to wait after failed attempt number `attempts` (1-based), or undefined to queue. */
export function retryDelay(policy: RetryPolicy, attempts: number): number | undefined {
  if (policy.mode === 'queue' || attempts > policy.retries) return undefined;
  return 2 ** (policy.exponent * attempts) * 1000;
}
