import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, hubGet, instanceJson, stats } from './support/calls.js';
import { TestClock } from './support/clock.js';
import { authorizationCode, CALLBACK, CLIENT_ID, CLIENT_SECRET, provision, startStack, type Stack } from './support/stack.js';

const DAY = 86_400_000;

/** Refresh failures are classified: a refused grant invalidates, anything transient does not. */
describe('token refresh failures and re-authentication', () => {
  const clock = new TestClock();
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'refresh-failures', clock, sandbox: { clock: () => clock.now() } });
  });
  afterAll(() => stack.close());

  const refreshes = async () => (await stats(stack)).tokenRequests.refresh_token;
  const configuration = { 'oauth.api.key': CLIENT_ID, 'oauth.api.secret': CLIENT_SECRET, 'oauth.callback.url': CALLBACK };

  it('a 401 right after a refresh: one more refresh, one retry, then the provider 401 as it is', async () => {
    const instance = await provision(stack);
    clock.advance(DAY + 60_000);
    expect((await hubGet(stack, instance)).status).toBe(200);
    const before = await refreshes();
    await control(stack, 'POST', '/faults', { path: '/crm/rest/v1/orders', status: 401, times: 2 });

    const second = await hubGet(stack, instance);

    expect(second.status).toBe(401);
    expect(second.body['providerMessage']).toBe('Invalid access token');
    expect((await refreshes()) - before).toBe(1);
    expect((await instanceJson(stack, instance.id))['valid']).toBe(true);
    expect((await hubGet(stack, instance)).status).toBe(200);
    expect((await stats(stack)).refreshTokenReuse).toBe(0);
  });

  it('token endpoint 5xx and network trouble are retried with backoff and leave the instance valid', async () => {
    const instance = await provision(stack);
    await control(stack, 'POST', '/faults', { path: '/token', status: 503, times: 2 });
    clock.advance(DAY + 60_000);
    const sleeps = clock.sleeps.length;

    expect((await hubGet(stack, instance)).status).toBe(200);
    expect(clock.sleeps.length - sleeps).toBeGreaterThanOrEqual(2);

    await control(stack, 'POST', '/faults', { path: '/token', status: 502, times: 3 });
    clock.advance(DAY + 60_000);
    const failed = await hubGet(stack, instance);
    expect(failed.status).toBe(503);
    expect(failed.body['code']).toBe('instance.refresh-unavailable');
    expect(failed.headers.get('retry-after')).toBe('30');
    expect((await instanceJson(stack, instance.id))['valid']).toBe(true);
    expect((await hubGet(stack, instance)).status).toBe(200);
  });

  it('invalid_grant makes the instance valid:false with a clear 401; a new code restores it', async () => {
    const instance = await provision(stack);
    await control(stack, 'POST', '/grants/revoke');
    clock.advance(DAY + 60_000);

    const refused = await hubGet(stack, instance);
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('instance.invalid');
    expect(refused.body['message']).toContain('must be re-authenticated');
    expect(refused.body['providerMessage']).toContain('invalid_grant');
    expect((await instanceJson(stack, instance.id))['valid']).toBe(false);
    const again = await hubGet(stack, instance);
    expect(again.body['code']).toBe('instance.invalid');

    const code = await authorizationCode(stack);
    const res = await fetch(`${stack.api}/instances/${instance.id}?reAuthenticate=true`, {
      method: 'PUT',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ element: { key: 'infusionsoftecommerce' }, providerData: { code }, configuration }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ id: instance.id, token: instance.token, valid: true });
    expect((await hubGet(stack, instance)).status).toBe(200);
  });

  it('externalAuthentication "initial" provisions from a supplied refresh token', async () => {
    // Any refresh token the app holds will do: take one from an instance of its own.
    const code = await authorizationCode(stack);
    const tokenRes = await fetch(`${stack.sandboxUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: CALLBACK,
      }),
    });
    const { refresh_token: refreshToken } = (await tokenRes.json()) as { refresh_token: string };
    const res = await fetch(`${stack.api}/instances`, {
      method: 'POST',
      headers: { authorization: stack.platformAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        element: { key: 'infusionsoftecommerce' },
        externalAuthentication: 'initial',
        configuration: { ...configuration, 'oauth.user.refresh_token': refreshToken },
      }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body['externalAuthentication']).toBe('initial');
    const masked = body['configuration'] as Record<string, string>;
    expect(masked['oauth.user.refresh_token']).toBe('********');
    const instance = { id: body['id'] as number, token: body['token'] as string, hubAuth: `User ${stack.secrets.user}, Element ${String(body['token'])}`, body };
    expect((await hubGet(stack, instance)).status).toBe(200);
  });

  it('idle instances are refreshed before their refresh token lapses', async () => {
    const instance = await provision(stack);
    clock.advance(31 * DAY);
    const before = await refreshes();

    const swept = await stack.hub.sweepIdleRefreshes();

    expect(swept.refreshed).toBeGreaterThanOrEqual(1);
    // Instances whose grants an earlier test revoked are tried once and fail (invalid_grant).
    expect((await refreshes()) - before).toBe(swept.refreshed + swept.failed);
    expect((await instanceJson(stack, instance.id))['valid']).toBe(true);
    expect((await stack.hub.sweepIdleRefreshes()).refreshed).toBe(0);
    // 51 days after the grant: without the sweep its first refresh token would have lapsed.
    clock.advance(20 * DAY);
    expect((await hubGet(stack, instance)).status).toBe(200);
  });
});
