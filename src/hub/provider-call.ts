import type { Clock } from '../clock.js';
import { providerError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import type { Metrics } from '../metrics.js';
import type { TokenRefresher } from '../oauth/refresh.js';
import type { QuotaGovernor, QuotaLimits } from './governor.js';
import { dailyQuotaSpentUntil, retryAdvice } from './retry.js';
import { providerMessage, type VendorClient, type VendorRequest, type VendorResponse } from './vendor.js';

/** How long one call may spend waiting out a provider's 429s, in all. */
const RETRY_BUDGET_MS = 10_000;
const MAX_ATTEMPTS = 4;

/** A provider request before the access token is chosen. */
export type ProviderRequest = Omit<VendorRequest, 'accessToken'>;

/**
 * Sends one request to an instance's provider with a token fit to use: refreshed ahead of
 * expiry, and refreshed once more (shared with every concurrent caller) when the provider
 * still answers 401, then retried once. Each attempt waits for a quota slot of the
 * instance's OAuth client; 429s are waited out within a bounded budget.
 */
export class ProviderCaller {
  constructor(
    private readonly vendor: VendorClient,
    private readonly governor: QuotaGovernor,
    private readonly refresher: TokenRefresher,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    /** `JUNCTION_QUOTA_SCALE`: scales the limits (benchmarks raise them, tests lower them). */
    private readonly quotaScale = 1,
  ) {}

  private scaled(quota: QuotaLimits): QuotaLimits {
    if (this.quotaScale === 1) return quota;
    const scale = (limit: number) => Math.max(1, Math.floor(limit * this.quotaScale));
    return { perSecond: scale(quota.perSecond), perMinute: scale(quota.perMinute) };
  }

  async send(instance: Instance, request: ProviderRequest): Promise<VendorResponse> {
    const current = await this.refresher.fresh(instance);
    const response = await this.sendWithinQuota(current, request);
    if (response.status !== 401) return response;
    // A second 401 goes back to the caller as the provider said it; the instance stays valid.
    const refreshed = await this.refresher.refresh(current, 'rejected');
    return this.sendWithinQuota(refreshed, request);
  }

  private async sendWithinQuota(instance: Instance, request: ProviderRequest): Promise<VendorResponse> {
    const { provider } = instance.element;
    const key = `${provider.name}:${instance.configuration['oauth.api.key'] ?? ''}`;
    const accessToken = instance.configuration['oauth.user.token'] ?? '';
    const started = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      const waitStart = this.clock.now();
      await this.governor.acquire(key, this.scaled(provider.quota));
      const sent = this.clock.now();
      this.metrics.quotaWaits.observe({ provider: provider.name }, (sent - waitStart) / 1000);
      const response = await this.once({ ...request, accessToken });
      const labels = { element: instance.element.key, status: String(response.status) };
      this.metrics.providerCalls.observe(labels, (this.clock.now() - sent) / 1000);
      const spentUntil = dailyQuotaSpentUntil(response.headers, provider.quota.headers);
      if (spentUntil !== undefined) await this.governor.blockUntil(key, spentUntil);
      if (response.status !== 429) return response;

      const now = this.clock.now();
      const advice = retryAdvice(response.headers, attempt, now, provider.quota.headers);
      const giveUp = attempt >= MAX_ATTEMPTS || now - started + advice.ms > RETRY_BUDGET_MS;
      if (advice.day || giveUp) throw tooMany(response, request, advice.ms);
      await this.clock.sleep(advice.ms);
    }
  }

  private async once(request: VendorRequest): Promise<VendorResponse> {
    try {
      return await this.vendor.send(request);
    } catch (err) {
      const { method, url } = request;
      const what = `${method} ${url.pathname}`;
      throw providerError('provider.unreachable', { method, url: url.pathname, cause: err }, { what });
    }
  }
}

/** The 429 a caller gets when the provider's limits outlast our budget, with `Retry-After`. */
function tooMany(response: VendorResponse, request: ProviderRequest, waitMs: number) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const message = providerMessage(response.text);
  const evidence = { status: 429, method: request.method, url: request.url.pathname };
  const error = providerError(
    'quota.exhausted',
    message !== undefined ? { ...evidence, message } : evidence,
    { seconds },
  );
  error.headers['retry-after'] = String(seconds);
  return error;
}
