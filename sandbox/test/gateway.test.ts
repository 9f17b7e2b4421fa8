import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  control,
  getWithBody,
  launch,
  refresh,
  START,
  type TestSandbox,
} from './support.js';

const INVALID_TOKEN = {
  fault: {
    faultstring: 'Invalid access token',
    detail: { errorcode: 'oauth.v2.InvalidAccessToken' },
  },
};

describe('API gateway: authentication', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
  });
  afterAll(() => sandbox.close());

  it('answers 401 with the gateway fault when no token is sent', async () => {
    const response = await fetch(`${sandbox.url}/crm/rest/v1/orders`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(INVALID_TOKEN);
  });

  it('answers 401 for an unknown token, before routing', async () => {
    for (const path of ['/orders', '/no/such/path']) {
      const response = await api(sandbox.url, 'not-a-token', path);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(INVALID_TOKEN);
    }
  });

  it('accepts the token as Bearer header and as access_token query parameter', async () => {
    const { access_token: token } = await connect(sandbox.url);
    expect((await api(sandbox.url, token, '/products')).status).toBe(200);
    const viaQuery = await fetch(`${sandbox.url}/crm/rest/v1/products?access_token=${token}`);
    expect(viaQuery.status).toBe(200);
  });

  it('answers 401 once the token has expired by the clock', async () => {
    const { access_token: token } = await connect(sandbox.url);
    sandbox.advance(86_400_000 - 1);
    expect((await api(sandbox.url, token, '/products')).status).toBe(200);
    sandbox.advance(1);
    expect((await api(sandbox.url, token, '/products')).status).toBe(401);
  });

  it('answers 401 after the control API expires every token, but refresh still works', async () => {
    const tokens = await connect(sandbox.url);
    expect((await control(sandbox.url, 'POST', '/tokens/expire')).status).toBe(200);
    expect((await api(sandbox.url, tokens.access_token, '/products')).status).toBe(401);

    const refreshed = (await (await refresh(sandbox.url, tokens.refresh_token)).json()) as {
      access_token: string;
    };
    expect((await api(sandbox.url, refreshed.access_token, '/products')).status).toBe(200);
  });

  it('revoking grants kills both the API token and the refresh token', async () => {
    const tokens = await connect(sandbox.url);
    await control(sandbox.url, 'POST', '/grants/revoke');

    expect((await api(sandbox.url, tokens.access_token, '/products')).status).toBe(401);
    const response = await refresh(sandbox.url, tokens.refresh_token);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('API gateway: quotas', () => {
  it('reports quota headers with consistent arithmetic', async () => {
    const sandbox = await launch({ autoConsent: true });
    const { access_token: token } = await connect(sandbox.url);

    const first = await api(sandbox.url, token, '/products?limit=1');
    const second = await api(sandbox.url, token, '/products?limit=1');
    const headers = Object.fromEntries(second.headers);

    expect(first.headers.get('x-keap-product-quota-used')).toBe('1');
    expect(headers).toMatchObject({
      'x-keap-product-quota-limit': '150000',
      'x-keap-product-quota-time-unit': 'day',
      'x-keap-product-quota-interval': '1',
      'x-keap-product-quota-used': '2',
      'x-keap-product-quota-available': '149998',
      'x-keap-product-quota-expiry-time': String(Date.UTC(2026, 0, 16)),
      'x-keap-product-throttle-limit': '1500',
      'x-keap-product-throttle-time-unit': 'minute',
      'x-keap-product-throttle-interval': '1',
      'x-keap-product-throttle-used': '2',
      'x-keap-product-throttle-available': '1498',
      'x-keap-tenant-id': 'ab123.infusionsoft.com',
      'x-keap-tenant-throttle-limit': '10000',
      'x-keap-tenant-throttle-time-unit': 'minute',
      'x-keap-tenant-throttle-used': '2',
      'x-keap-tenant-throttle-available': '9998',
    });

    sandbox.advance(60_000);
    const nextMinute = await api(sandbox.url, token, '/products?limit=1');
    expect(nextMinute.headers.get('x-keap-product-throttle-used')).toBe('1');
    expect(nextMinute.headers.get('x-keap-product-quota-used')).toBe('3');
    await sandbox.close();
  });

  it('puts quota headers on 404 and 400 answers as well', async () => {
    const sandbox = await launch({ autoConsent: true });
    const { access_token: token } = await connect(sandbox.url);
    const missing = await api(sandbox.url, token, '/orders/999999');
    const invalid = await api(sandbox.url, token, '/orders?limit=abc');
    expect(missing.headers.get('x-keap-product-quota-used')).toBe('1');
    expect(invalid.headers.get('x-keap-product-quota-used')).toBe('2');
    await sandbox.close();
  });

  it('enforces the 25/s spike policy with a 429 and Retry-After', async () => {
    const sandbox = await launch({ autoConsent: true });
    const { access_token: token } = await connect(sandbox.url);

    for (let i = 0; i < 25; i += 1) {
      expect((await api(sandbox.url, token, '/products?limit=1')).status).toBe(200);
    }
    const refused = await api(sandbox.url, token, '/products?limit=1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({
      fault: { detail: { errorcode: 'policies.ratelimit.SpikeArrestViolation' } },
    });

    sandbox.advance(1000);
    expect((await api(sandbox.url, token, '/products?limit=1')).status).toBe(200);
    await sandbox.close();
  });

  it('enforces the per-minute quota and points Retry-After at the next minute', async () => {
    const sandbox = await launch({ autoConsent: true, quotaLimits: { perMinute: 3 } });
    const { access_token: token } = await connect(sandbox.url);
    sandbox.advance(15_000);

    for (let i = 0; i < 3; i += 1) await api(sandbox.url, token, '/products?limit=1');
    const refused = await api(sandbox.url, token, '/products?limit=1');

    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('x-keap-product-throttle-available')).toBe('0');
    expect(refused.headers.get('x-keap-product-throttle-used')).toBe('3');
    const body = (await refused.json()) as { fault: { faultstring: string } };
    expect(body).toMatchObject({
      fault: { detail: { errorcode: 'policies.ratelimit.QuotaViolation' } },
    });
    expect(body.fault.faultstring).toMatch(/^Rate limit quota violation/);
    await sandbox.close();
  });

  it('resets the daily quota at 00:00 UTC', async () => {
    const sandbox = await launch({ autoConsent: true, quotaLimits: { perDay: 2 } });
    const { access_token: token } = await connect(sandbox.url);

    await api(sandbox.url, token, '/products?limit=1');
    await api(sandbox.url, token, '/products?limit=1');
    const refused = await api(sandbox.url, token, '/products?limit=1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(12 * 3600));

    sandbox.advance(Date.UTC(2026, 0, 16) - START);
    const nextDay = await api(sandbox.url, token, '/products?limit=1');
    expect(nextDay.status).toBe(200);
    expect(nextDay.headers.get('x-keap-product-quota-used')).toBe('1');
    expect(nextDay.headers.get('x-keap-product-quota-expiry-time')).toBe(
      String(Date.UTC(2026, 0, 17)),
    );
    await sandbox.close();
  });
});

describe('API gateway: pages outside the API', () => {
  let sandbox: TestSandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
    token = (await connect(sandbox.url)).access_token;
  });
  afterAll(() => sandbox.close());

  it('answers an unknown API path with Keap’s HTML 404 page', async () => {
    const response = await api(sandbox.url, token, '/no/such/thing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<title>Keap - Page Not Found</title>');
  });

  it('answers a GET with a body with the front end’s HTML 400', async () => {
    const response = await getWithBody(
      `${sandbox.url}/crm/rest/v1/orders`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      '{"a":1}',
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('<title>400 Bad Request</title>');
  });
});

describe('API gateway: injected faults', () => {
  let sandbox: TestSandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
    token = (await connect(sandbox.url)).access_token;
  });
  afterEach(async () => {
    await control(sandbox.url, 'DELETE', '/faults');
  });
  afterAll(() => sandbox.close());

  it('answers the next N matching requests with the scripted status', async () => {
    const rule = { path: '/crm/rest/v1/orders', status: 429, times: 2, retryAfter: 2 };
    expect((await control(sandbox.url, 'POST', '/faults', rule)).status).toBe(201);

    for (let i = 0; i < 2; i += 1) {
      const response = await api(sandbox.url, token, '/orders/1');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.json()).toMatchObject({
        fault: { detail: { errorcode: 'policies.ratelimit.QuotaViolation' } },
      });
    }
    expect((await api(sandbox.url, token, '/orders/1')).status).toBe(200);
  });

  it('matches by path prefix only', async () => {
    await control(sandbox.url, 'POST', '/faults', { path: '/crm/rest/v1/orders', status: 503 });
    expect((await api(sandbox.url, token, '/products/1')).status).toBe(200);
    const response = await api(sandbox.url, token, '/orders?limit=1');
    expect(response.status).toBe(503);
    expect(await response.json()).toHaveProperty('fault');
  });

  it('sends a custom body and can target the token endpoint', async () => {
    const body = { error: 'temporarily_unavailable' };
    await control(sandbox.url, 'POST', '/faults', { path: '/token', status: 500, body });
    const response = await refresh(sandbox.url, 'anything');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(body);
  });

  it('delays a response without changing it when no status is given', async () => {
    await control(sandbox.url, 'POST', '/faults', { path: '/crm/rest/v1/products', delayMs: 150 });
    const started = performance.now();
    const response = await api(sandbox.url, token, '/products/1');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('forgets every rule on DELETE /_control/faults', async () => {
    await control(sandbox.url, 'POST', '/faults', { path: '/crm/', status: 500, times: 5 });
    await control(sandbox.url, 'DELETE', '/faults');
    expect((await api(sandbox.url, token, '/orders/1')).status).toBe(200);
  });

  it('rejects a malformed rule with every problem listed', async () => {
    const response = await control(sandbox.url, 'POST', '/faults', { path: 'orders', times: 0 });
    expect(response.status).toBe(400);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('path');
    expect(message).toContain('times');
  });
});
