import { readAccountSettings } from '../store/accounts.js';
import type { Database } from '../store/open.js';
import type { RetryPolicy } from './retry-policy.js';

/** The account setting that chooses what a failed delivery does (spec §6.5). */
export const FAILURE_POLICY_KEY = 'notification.webhook.failure.policy';
export const FAILURE_POLICIES = ['retry', 'queue'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/**
 * The retry policy for an account's deliveries: the hub's configured one, with the mode the
 * account chose, if it chose one. Read from the store on every delivery, so a change made through
 * any process applies to the next delivery everywhere (deliveries are far from the hot path).
 */
export async function accountRetryPolicy(
  db: Database,
  base: RetryPolicy,
  organizationId: number,
): Promise<RetryPolicy> {
  const chosen = (await readAccountSettings(db, organizationId))[FAILURE_POLICY_KEY];
  return isFailurePolicy(chosen) ? { ...base, mode: chosen } : base;
}

export function isFailurePolicy(value: unknown): value is FailurePolicy {
  return FAILURE_POLICIES.includes(value as FailurePolicy);
}
