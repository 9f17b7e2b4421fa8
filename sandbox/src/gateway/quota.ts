/**
 * Keap's quotas for OAuth apps (keap.md §4): per client key 1500 calls a minute and 150 000 a
 * day (the day resets at 00:00 UTC), a 25/s spike policy without headers, and a tenant-wide cap
 * per minute. Windows are fixed (calendar second, minute and UTC day) on the injected clock.
 */

export interface QuotaLimits {
  perDay: number;
  perMinute: number;
  perSecond: number;
  tenantPerMinute: number;
}

export const DEFAULT_QUOTA_LIMITS: QuotaLimits = {
  perDay: 150_000,
  perMinute: 1500,
  perSecond: 25,
  tenantPerMinute: 10_000,
};

export type QuotaViolation = 'spike' | 'minute' | 'day' | 'tenant';

export interface QuotaVerdict {
  headers: Record<string, string>;
  /** Present when the call was refused; no counter moved in that case. */
  violation?: { kind: QuotaViolation; retryAfterSeconds: number };
}

interface Bucket {
  kind: QuotaViolation;
  key: string;
  window: number;
  limit: number;
  resetsAt: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export class QuotaMeter {
  readonly #counters = new Map<string, { window: number; used: number }>();

  constructor(
    readonly limits: QuotaLimits,
    private readonly now: () => number,
  ) {}

  /** Counts one call for this client and tenant, unless a limit is already reached. */
  consume(clientId: string, tenant: string): QuotaVerdict {
    const now = this.now();
    const buckets = this.#buckets(clientId, tenant, now);
    const full = buckets.find((bucket) => this.#used(bucket) >= bucket.limit);

    if (!full) {
      for (const bucket of buckets) {
        this.#counters.set(bucket.key, { window: bucket.window, used: this.#used(bucket) + 1 });
      }
    }

    const headers = this.#headers(buckets, tenant);
    if (!full) return { headers };
    const retryAfterSeconds = Math.max(1, Math.ceil((full.resetsAt - now) / 1000));
    return { headers, violation: { kind: full.kind, retryAfterSeconds } };
  }

  clear(): void {
    this.#counters.clear();
  }

  #buckets(clientId: string, tenant: string, now: number): [Bucket, Bucket, Bucket, Bucket] {
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / MINUTE);
    const day = Math.floor(now / DAY);
    const { perSecond, perMinute, perDay, tenantPerMinute } = this.limits;
    const bucket = (
      kind: QuotaViolation,
      key: string,
      window: number,
      size: number,
      limit: number,
    ): Bucket => ({ kind, key, window, limit, resetsAt: (window + 1) * size });

    return [
      bucket('spike', `s:${clientId}`, second, 1000, perSecond),
      bucket('minute', `m:${clientId}`, minute, MINUTE, perMinute),
      bucket('day', `d:${clientId}`, day, DAY, perDay),
      bucket('tenant', `t:${tenant}`, minute, MINUTE, tenantPerMinute),
    ];
  }

  #used(bucket: Bucket): number {
    const counter = this.#counters.get(bucket.key);
    return counter && counter.window === bucket.window ? counter.used : 0;
  }

  /** Header names and units as captured from production (keap.md §4); the spike has none. */
  #headers(buckets: [Bucket, Bucket, Bucket, Bucket], tenant: string): Record<string, string> {
    const [, minute, day, tenantMinute] = buckets;
    return {
      ...this.#family('x-keap-product-quota', day, 'day'),
      'x-keap-product-quota-expiry-time': String(day.resetsAt),
      ...this.#family('x-keap-product-throttle', minute, 'minute'),
      'x-keap-tenant-id': tenant,
      ...this.#family('x-keap-tenant-throttle', tenantMinute, 'minute'),
    };
  }

  #family(prefix: string, bucket: Bucket, unit: string): Record<string, string> {
    const used = this.#used(bucket);
    return {
      [`${prefix}-limit`]: String(bucket.limit),
      [`${prefix}-time-unit`]: unit,
      [`${prefix}-interval`]: '1',
      [`${prefix}-available`]: String(Math.max(0, bucket.limit - used)),
      [`${prefix}-used`]: String(used),
    };
  }
}
