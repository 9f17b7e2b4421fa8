import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerMessage } from '../src/hub/vendor.js';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

describe("Keap's error shapes become the Open Connectors error body", () => {
  it("reads the provider's words from JSON, gateway faults, OAuth errors and HTML pages", () => {
    expect(providerMessage('{"message":"Unable to find this Contact"}')).toBe('Unable to find this Contact');
    expect(
      providerMessage('{"fault":{"faultstring":"Invalid access token","detail":{"errorcode":"oauth.v2.InvalidAccessToken"}}}'),
    ).toBe('Invalid access token');
    expect(providerMessage('{"error":"invalid_grant","error_description":"Invalid refresh token"}')).toBe(
      'Invalid refresh token',
    );
    expect(providerMessage('<html><head><title>Keap - Page Not Found</title></head><body/></html>')).toBe(
      'Keap - Page Not Found',
    );
    expect(providerMessage('')).toBeUndefined();
  });

  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'provider-errors' });
    instance = await provision(stack);
  });
  afterAll(() => stack.close());

  const inject = (rule: Record<string, unknown>) =>
    fetch(`${stack.sandboxUrl}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/crm/rest/v1/orders', times: 1, ...rule }),
    });
  const orders = async () => {
    const res = await fetch(`${stack.api}/hubs/ecommerce/orders`, { headers: { authorization: instance.hubAuth } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('an HTML 404 page is a 404 with its title as the provider message', async () => {
    await inject({ status: 404 });
    const res = await orders();
    expect(res.status).toBe(404);
    expect(res.body['providerMessage']).toBe('Keap - Page Not Found');
    expect(res.body['requestId']).toBe(res.headers.get('elements-request-id'));
  });

  it('a validation failure is a 400 with the provider message', async () => {
    await inject({ status: 400, body: { message: 'Contact must contain an e-mail address or phone number' } });
    const res = await orders();
    expect(res.status).toBe(400);
    expect(res.body['providerMessage']).toBe('Contact must contain an e-mail address or phone number');
  });

  it("a gateway fault on 503 is a 502 carrying the fault string", async () => {
    await inject({ status: 503, times: 1 });
    const res = await orders();
    expect(res.status).toBe(502);
    expect(res.body['providerMessage']).toBe('The Service is temporarily unavailable');
    expect(res.body['message']).toContain('try again later');
  });

  it('a 401 from the gateway is a 401, and the body never carries a token', async () => {
    await inject({ status: 401, times: 10 });
    const res = await orders();
    expect(res.status).toBe(401);
    expect(res.body['providerMessage']).toBe('Invalid access token');
    expect(JSON.stringify(res.body)).not.toContain(instance.token);
    await fetch(`${stack.sandboxUrl}/_control/faults`, { method: 'DELETE' });
  });
});
