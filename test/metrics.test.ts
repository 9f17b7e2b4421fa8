import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, startStack, type Stack } from './support/stack.js';

describe('GET /metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'metrics' });
  });
  afterAll(() => stack.close());

  it('exposes request, provider-call and quota families after a hub call', async () => {
    const instance = await provision(stack);
    await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=2`, { headers: { authorization: instance.hubAuth } });
    const text = await (await fetch(`${new URL(stack.api).origin}/metrics`)).text();
    expect(text).toContain('junction_http_request_duration_seconds_bucket{');
    expect(text).toMatch(/junction_http_request_duration_seconds_count\{method="GET",route="\/elements\/api-v2\/hubs\/:hub\/\*",status="200"\} 1/);
    expect(text).toMatch(/junction_provider_call_duration_seconds_count\{element="infusionsoftecommerce",status="200"\} 1/);
    expect(text).toContain('junction_quota_wait_seconds_bucket');
    expect(text).toContain('junction_token_refreshes_total');
    expect(text).toContain('junction_process_resident_memory_bytes');
    expect(text).toContain('junction_jobs_waiting');
    expect(text).toContain('junction_event_deliveries_total');
  });
});
