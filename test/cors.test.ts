import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, EXPOSED_HEADERS, type App } from '../src/http/server.js';
import { Metrics } from '../src/metrics.js';

describe('CORS', () => {
  let app: App;
  beforeAll(async () => {
    app = await createServer(pino({ level: 'silent' }), new Metrics());
    app.get('/thing', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reflects the origin, allows credentials and exposes the paging headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/thing', headers: { origin: 'https://app.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe(EXPOSED_HEADERS);
    expect(res.headers['vary']).toBe('Origin');
  });

  it('names no origin when the request has none, and still varies by origin', async () => {
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe(EXPOSED_HEADERS);
    expect(res.headers['vary']).toBe('Origin');
  });

  it('answers a preflight with 204, the methods and the requested headers', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/elements/api-v2/hubs/crm/contacts',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('GET,HEAD,POST,PUT,PATCH,DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
    expect(res.headers['vary']).toBe('Origin, Access-Control-Request-Headers');
    expect(res.body).toBe('');
  });

  it('refuses an OPTIONS request that is not a preflight with 400', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/thing' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('Invalid Preflight Request');
  });
});
