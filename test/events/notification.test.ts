import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHUNK, chunk, notificationBody, pollingRaw } from '../../src/events/notification.js';
import { signBody } from '../../src/events/signature.js';

describe('Elements-Webhook-Signature', () => {
  it('matches the help-center test vector', () => {
    expect(signBody('MySecretEventSignatureKey', '<INSERT_EVENT_NOTIFICATION_RESPONSE_BODY>')).toBe(
      'sha256=jHdbRx5EZAsOfTwAPJOGkNUzQMVVdu5VJlxcsk+G6jQ=',
    );
  });

  it('is the base64 HMAC-SHA256 of the exact bytes, multi-byte text included', () => {
    const body = '{"message":{"name":"Zoë ✓"}}';
    const expected = createHmac('sha256', 'k').update(Buffer.from(body, 'utf8')).digest('base64');
    expect(signBody('k', body)).toBe(`sha256=${expected}`);
  });
});

describe('notification bodies', () => {
  const context = { instanceId: 7, elementKey: 'infusionsoftecommerce', hubKey: 'ecommerce', userId: 2, organizationId: 1 };
  const change = (id: number) => ({
    objectType: 'orders',
    objectId: String(id),
    eventType: 'UPDATED' as const,
    date: '2024-01-01T00:00:00.000Z',
  });

  it('has the spec §6.3 shape', () => {
    const raw = pollingRaw('orders', [{ id: 1 }]);
    const body = JSON.parse(notificationBody('e-1', { ...context, pollDate: '2024-01-01T00:01:00.000Z' }, [change(1)], raw));
    expect(body).toEqual({
      message: {
        eventId: 'e-1',
        instanceId: 7,
        instance_id: 7,
        elementKey: 'infusionsoftecommerce',
        accountId: 1,
        companyId: 1,
        userId: 2,
        raw: { orders: [{ id: 1 }], objectType: 'orders' },
        events: [
          {
            objectType: 'orders',
            objectId: '1',
            eventType: 'UPDATED',
            elementKey: 'infusionsoftecommerce',
            hubKey: 'ecommerce',
            date: '2024-01-01T00:00:00.000Z',
            pollDate: '2024-01-01T00:01:00.000Z',
          },
        ],
      },
    });
  });

  it('splits 100 webhook changes into 5 of 20 and 25 polling changes into 10, 10, 5', () => {
    const many = Array.from({ length: 100 }, (_, i) => change(i));
    expect(chunk(many, CHUNK.webhook).map((p) => p.length)).toEqual([20, 20, 20, 20, 20]);
    expect(chunk(many.slice(0, 25), CHUNK.polling).map((p) => p.length)).toEqual([10, 10, 5]);
    expect(chunk([], CHUNK.polling)).toEqual([]);
  });
});
