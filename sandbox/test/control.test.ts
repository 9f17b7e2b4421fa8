import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  authorizeCode,
  connect,
  control,
  exchangeCode,
  launch,
  type TestSandbox,
  write,
} from './support.js';

interface Stats {
  tokenRequests: { authorization_code: number; refresh_token: number };
  refreshTokenReuse: number;
  apiRequests: number;
  issued: string[];
}

async function stats(base: string): Promise<Stats> {
  return (await (await control(base, 'GET', '/stats')).json()) as Stats;
}

describe('/_control', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
  });
  afterAll(() => sandbox.close());

  it('lists every code and token it issued', async () => {
    const code = await authorizeCode(sandbox.url);
    const tokens = await exchangeCode(sandbox.url, code);
    const { issued } = await stats(sandbox.url);
    const minted = [code, tokens.access_token, tokens.refresh_token];
    expect(issued).toEqual(expect.arrayContaining(minted));
  });

  it('counts API requests, refused ones included', async () => {
    const before = (await stats(sandbox.url)).apiRequests;
    await fetch(`${sandbox.url}/crm/rest/v1/orders`);
    const { access_token: token } = await connect(sandbox.url);
    await api(sandbox.url, token, '/orders/1');
    expect((await stats(sandbox.url)).apiRequests).toBe(before + 2);
  });

  it('moves the clock', async () => {
    const { access_token: token } = await connect(sandbox.url);
    const response = await control(sandbox.url, 'POST', '/clock/advance', { seconds: 86_400 });
    expect(((await response.json()) as { now: number }).now).toBe(sandbox.now() + 86_400_000);
    expect((await api(sandbox.url, token, '/orders/1')).status).toBe(401);
  });

  it('rejects unknown lifetime fields', async () => {
    const response = await control(sandbox.url, 'PUT', '/lifetimes', { accessSeconds: 5 });
    expect(response.status).toBe(400);
  });

  it('resets tokens, statistics, clock and data', async () => {
    const { access_token: token } = await connect(sandbox.url);
    expect((await control(sandbox.url, 'POST', '/reset')).status).toBe(200);

    expect((await api(sandbox.url, token, '/orders/1')).status).toBe(401);
    expect(await stats(sandbox.url)).toEqual({
      tokenRequests: { authorization_code: 0, refresh_token: 0 },
      refreshTokenReuse: 0,
      apiRequests: 1,
      quotaRefusals: { minute: 0, spike: 0, day: 0, tenant: 0 },
      issued: [],
    });
    const clock = (await (await control(sandbox.url, 'GET', '/clock')).json()) as { now: number };
    expect(clock.now).toBe(sandbox.now());
  });

  it('reset restores the seed data after writes', async () => {
    const before = await connect(sandbox.url);
    const body = { given_name: 'Temp', phone_numbers: [{ number: '555-0199' }] };
    const created = await write(sandbox.url, before.access_token, 'POST', '/contacts', body);
    const { id } = (await created.json()) as { id: number };
    await control(sandbox.url, 'POST', '/reset');

    const after = await connect(sandbox.url);
    expect((await api(sandbox.url, after.access_token, `/contacts/${id}`)).status).toBe(404);
    expect((await api(sandbox.url, after.access_token, '/contacts/1')).status).toBe(200);
  });
});

describe('/_control when disabled', () => {
  it('is not there: every control path is a 404', async () => {
    const sandbox = await launch({ control: false });
    for (const [method, path] of [
      ['GET', '/stats'],
      ['POST', '/tokens/expire'],
      ['POST', '/faults'],
    ] as const) {
      const response = await control(sandbox.url, method, path);
      expect(response.status).toBe(404);
    }
    await sandbox.close();
  });
});
