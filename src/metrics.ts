import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Junction's Prometheus metrics, one registry per hub (tests run several hubs in a process).
 * Label values are bounded: route patterns, element keys, status codes, outcomes — never ids.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Histogram({
    name: 'junction_http_request_duration_seconds',
    help: 'HTTP requests by route and status, with latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly providerCalls = new Histogram({
    name: 'junction_provider_call_duration_seconds',
    help: 'Calls to providers by element and status, with latency',
    labelNames: ['element', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly tokenRefreshes = new Counter({
    name: 'junction_token_refreshes_total',
    help: 'Provider token refreshes by element and outcome (ok, refused, failed)',
    labelNames: ['element', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly quotaWaits = new Histogram({
    name: 'junction_quota_wait_seconds',
    help: 'Time calls waited for a quota slot of their OAuth client',
    labelNames: ['provider'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'junction_event_deliveries_total',
    help: 'Event notifications delivered to callbacks, by outcome (delivered, retry, queued)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Set once the job queue runs; read at each scrape. */
  queueDepths: (() => Promise<{ queue: string; waiting: number; oldestSeconds: number }[]>) | undefined;

  readonly jobsWaiting = new Gauge({
    name: 'junction_jobs_waiting',
    help: 'Background jobs waiting to run, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly jobsOldest = new Gauge({
    name: 'junction_jobs_oldest_waiting_seconds',
    help: 'Age of the oldest waiting job, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** Reads the job queue's depths into the gauges; called before each scrape. */
  async refreshQueueGauges(): Promise<void> {
    const depths = (await this.queueDepths?.().catch(() => [])) ?? [];
    this.jobsWaiting.reset();
    this.jobsOldest.reset();
    for (const d of depths) {
      this.jobsWaiting.set({ queue: d.queue }, d.waiting);
      this.jobsOldest.set({ queue: d.queue }, d.oldestSeconds);
    }
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
  }
}
