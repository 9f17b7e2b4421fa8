import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  authorizeCode,
  BASIC,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  control,
  exchangeCode,
  launch,
  postForm,
  REDIRECT_URI,
  refresh,
  type TestSandbox,
} from './support.js';

const DAY = 86_400_000;

describe('POST /token', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await launch({ autoConsent: true });
  });
  afterAll(() => sandbox.close());

  const token = (fields: Record<string, string>, headers = {}) =>
    postForm(`${sandbox.url}/token`, fields, headers);

  const codeGrant = (code: string, extra: Record<string, string> = {}) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    ...extra,
  });

  describe('authorization_code', () => {
    it('answers with exactly Keap’s token fields', async () => {
      const response = await token(codeGrant(await authorizeCode(sandbox.url)));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');

      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
        'access_token',
        'token_type',
        'expires_in',
        'refresh_token',
        'scope',
      ]);
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 86_400,
        scope: 'full|ab123.infusionsoft.com',
      });
      expect(body.access_token).toMatch(/^[\w-]{32}$/);
      expect(body.refresh_token).not.toBe(body.access_token);
    });

    it('accepts client credentials as HTTP Basic too', async () => {
      const code = await authorizeCode(sandbox.url);
      const response = await token(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        { authorization: BASIC },
      );
      expect(response.status).toBe(200);
    });

    it('refuses a code used twice', async () => {
      const code = await authorizeCode(sandbox.url);
      expect((await token(codeGrant(code))).status).toBe(200);

      const again = await token(codeGrant(code));
      expect(again.status).toBe(400);
      expect(await again.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid authorization code',
      });
    });

    it('refuses an unknown code and a code older than ten minutes', async () => {
      expect((await token(codeGrant('made-up'))).status).toBe(400);

      const code = await authorizeCode(sandbox.url);
      sandbox.advance(10 * 60_000 + 1);
      const late = await token(codeGrant(code));
      expect(late.status).toBe(400);
      expect(await late.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('answers 401 for a wrong client secret', async () => {
      const code = await authorizeCode(sandbox.url);
      const response = await token(codeGrant(code, { client_secret: 'wrong' }));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Unable to authenticate username and password',
      });
    });

    it('refuses a redirect_uri other than the one the code was issued for', async () => {
      const code = await authorizeCode(sandbox.url);
      const response = await token(codeGrant(code, { redirect_uri: `${REDIRECT_URI}/other` }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Invalid redirect_uri',
      });
      // Nothing was issued, so the code still works with the right callback.
      expect((await token(codeGrant(code))).status).toBe(200);
    });

    it('ignores parameters sent in the query string', async () => {
      const code = await authorizeCode(sandbox.url);
      const query = new URLSearchParams(codeGrant(code)).toString();
      const response = await fetch(`${sandbox.url}/token?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('refuses an unsupported grant type', async () => {
      const response = await token({ grant_type: 'password', client_id: CLIENT_ID });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });
  });

  describe('refresh_token', () => {
    it('rotates the refresh token and kills the old one at once', async () => {
      const first = await connect(sandbox.url);
      const before = (await (await control(sandbox.url, 'GET', '/stats')).json()) as {
        refreshTokenReuse: number;
      };

      const rotated = await refresh(sandbox.url, first.refresh_token);
      expect(rotated.status).toBe(200);
      const second = (await rotated.json()) as { access_token: string; refresh_token: string };
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);

      const reused = await refresh(sandbox.url, first.refresh_token);
      expect(reused.status).toBe(400);
      expect(await reused.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid refresh token',
      });

      const stats = (await (await control(sandbox.url, 'GET', '/stats')).json()) as {
        refreshTokenReuse: number;
      };
      expect(stats.refreshTokenReuse).toBe(before.refreshTokenReuse + 1);
      expect((await refresh(sandbox.url, second.refresh_token)).status).toBe(200);
    });

    it('keeps the previous access token valid until its own expiry', async () => {
      const first = await connect(sandbox.url);
      expect((await refresh(sandbox.url, first.refresh_token)).status).toBe(200);
      expect((await api(sandbox.url, first.access_token, '/products?limit=1')).status).toBe(200);
    });

    it('tolerates client credentials in the body', async () => {
      const first = await connect(sandbox.url);
      const response = await token({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(response.status).toBe(200);
    });

    it('answers 401 when Basic carries the wrong secret', async () => {
      const first = await connect(sandbox.url);
      const wrong = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_ID}`).toString('base64')}`;
      const response = await token(
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        { authorization: wrong },
      );
      expect(response.status).toBe(401);
    });

    it('refuses an unknown refresh token and one past its 45 days', async () => {
      expect((await refresh(sandbox.url, 'made-up')).status).toBe(400);

      const first = await connect(sandbox.url);
      sandbox.advance(45 * DAY);
      const response = await refresh(sandbox.url, first.refresh_token);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error_description: 'Invalid refresh token' });
    });
  });

  it('issues tokens with lifetimes changed through the control API', async () => {
    await control(sandbox.url, 'PUT', '/lifetimes', { accessTokenSeconds: 5 });
    const tokens = await exchangeCode(sandbox.url, await authorizeCode(sandbox.url));
    expect(tokens.expires_in).toBe(5);

    sandbox.advance(5_000);
    expect((await api(sandbox.url, tokens.access_token, '/orders')).status).toBe(401);
    await control(sandbox.url, 'PUT', '/lifetimes', { accessTokenSeconds: 86_400 });
  });

  it('counts token requests per grant type', async () => {
    const before = (await (await control(sandbox.url, 'GET', '/stats')).json()) as {
      tokenRequests: Record<string, number>;
    };
    const tokens = await connect(sandbox.url);
    await refresh(sandbox.url, tokens.refresh_token);

    const after = (await (await control(sandbox.url, 'GET', '/stats')).json()) as {
      tokenRequests: Record<string, number>;
    };
    expect(after.tokenRequests.authorization_code).toBe(
      (before.tokenRequests.authorization_code ?? 0) + 1,
    );
    expect(after.tokenRequests.refresh_token).toBe((before.tokenRequests.refresh_token ?? 0) + 1);
  });
});
