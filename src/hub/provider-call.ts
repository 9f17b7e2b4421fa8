import type { Clock } from '../clock.js';
import { providerError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import type { Metrics } from '../metrics.js';
import type { QuotaGovernor } from './governor.js';
import type { VendorClient, VendorRequest, VendorResponse } from './vendor.js';

/** How long one call may spend waiting out a provider's 429s, in all. */
const RETRY_BUDGET_MS = 10_000;
const MAX_ATTEMPTS = 4;

/**
 * Sends one request to an instance's provider: waits for a quota slot of the instance's
 * OAuth client, and when the provider still answers 429, waits as it asks (`Retry-After`)
 * or backs off with jitter, within a bounded budget.
 */
export class ProviderCaller {
  constructor(
    private readonly vendor: VendorClient,
    private readonly governor: QuotaGovernor,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async send(instance: Instance, request: VendorRequest): Promise<VendorResponse> {
    const { provider } = instance.element;
    const key = `${provider.name}:${instance.configuration['oauth.api.key'] ?? ''}`;
    const started = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      const waitStart = this.clock.now();
      await this.governor.acquire(key, provider.quota);
      const sent = this.clock.now();
      this.metrics.quotaWaits.observe({ provider: provider.name }, (sent - waitStart) / 1000);
      const response = await this.once(request);
      const labels = { element: instance.element.key, status: String(response.status) };
      this.metrics.providerCalls.observe(labels, (this.clock.now() - sent) / 1000);
      if (response.status !== 429 || attempt >= MAX_ATTEMPTS) return response;
      const wait = retryDelay(response, attempt);
      if (this.clock.now() - started + wait > RETRY_BUDGET_MS) return response;
      await this.clock.sleep(wait);
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

/** `Retry-After` in seconds when the provider sent it, else exponential backoff with jitter. */
export function retryDelay(response: VendorResponse, attempt: number): number {
  const header = response.headers['retry-after'];
  const seconds = typeof header === 'string' ? Number(header) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const base = 250 * 2 ** (attempt - 1);
  return base + Math.floor(Math.random() * base);
}
