import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchWithToken, START, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;

interface Order {
  id: number;
  total: number;
  total_paid: number;
  total_due: number;
  refund_total: number;
  status: string;
  notes: string | null;
  lead_affiliate_id: number | null;
  creation_date: string;
  modification_date: string;
  order_date: string;
  contact: { id: number; first_name: string | null; email: string | null };
  order_items: { id: number; quantity: number; price: number; product: { id: number } | null }[];
}
type Orders = Envelope & { orders: Order[] };

const V1_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const ids = (orders: readonly Order[]) => orders.map((order) => order.id);
const v1Ms = (text: string) => Date.parse(text.replace('+0000', 'Z'));

describe('GET /crm/rest/v1/orders', () => {
  let sandbox: Sandbox;
  let all: Order[];
  beforeAll(async () => {
    sandbox = await launchWithToken();
    all = (await sandbox.get<Orders>('/orders')).orders;
  });
  afterAll(() => sandbox.close());

  it('lists at least 100 orders by id ascending, with 1–4 items each', () => {
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(ids(all)).toEqual([...ids(all)].sort((a, b) => a - b));
    for (const order of all) {
      expect(order.order_items.length).toBeGreaterThanOrEqual(1);
      expect(order.order_items.length).toBeLessThanOrEqual(4);
    }
  });

  it('writes v1 dates within the last 90 days and keeps optional fields as nulls', () => {
    const ninetyDaysAgo = START - 90 * 86_400_000;
    for (const order of all) {
      expect(order.creation_date).toMatch(V1_DATE);
      expect(order.modification_date).toMatch(V1_DATE);
      expect(v1Ms(order.creation_date)).toBeGreaterThanOrEqual(ninetyDaysAgo);
      expect(v1Ms(order.modification_date)).toBeLessThanOrEqual(START);
      expect(order).toHaveProperty('notes');
      expect(order).toHaveProperty('lead_affiliate_id');
    }
    expect(all.some((order) => order.notes === null)).toBe(true);
    expect(all.some((order) => order.lead_affiliate_id === null)).toBe(true);
  });

  it('covers paid, unpaid, partly paid and refunded orders with consistent totals', () => {
    for (const order of all) {
      expect(order.total_paid + order.total_due).toBeCloseTo(order.total, 2);
    }
    expect(all.some((o) => o.total_due === 0 && o.refund_total === 0)).toBe(true);
    expect(all.some((o) => o.total_paid === 0)).toBe(true);
    expect(all.some((o) => o.total_paid > 0 && o.total_due > 0)).toBe(true);
    expect(all.some((o) => o.refund_total > 0)).toBe(true);
  });

  it('filters since/until on modification_date, inclusive, in any ISO-8601 spelling', async () => {
    const pivot = all[40]?.modification_date ?? '';
    const pivotMs = v1Ms(pivot);
    const expected = ids(all.filter((order) => v1Ms(order.modification_date) >= pivotMs));

    const iso = new Date(pivotMs).toISOString();
    const spellings = [
      iso,
      iso.replace('.000Z', 'Z'),
      new Date(pivotMs + 2 * 3_600_000).toISOString().replace('Z', '+02:00'),
      pivot,
    ];
    for (const since of spellings) {
      const page = await sandbox.get<Orders>(`/orders?since=${encodeURIComponent(since)}`);
      expect(ids(page.orders)).toEqual(expected);
      expect(page.count).toBe(expected.length);
    }

    const until = await sandbox.get<Orders>(`/orders?until=${encodeURIComponent(iso)}`);
    expect(ids(until.orders)).toEqual(
      ids(all.filter((order) => v1Ms(order.modification_date) <= pivotMs)),
    );
  });

  it.each([
    'since=yesterday',
    'since=2026-01-01',
    'since=2026-01-01T00:00:00',
    'since=2026-13-01T00:00:00Z',
    'until=2026-01-01T00:00:00 02:00',
    'paid=maybe',
    'contact_id=abc',
    'order=price',
  ])('answers 400 with a message for %s', async (query) => {
    const response = await api(sandbox.url, sandbox.token, `/orders?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/Invalid value/);
  });

  it('filters on paid, contact_id and product_id', async () => {
    const paid = await sandbox.get<Orders>('/orders?paid=true');
    const unpaid = await sandbox.get<Orders>('/orders?paid=false');
    expect(paid.count + unpaid.count).toBe(all.length);
    expect(paid.orders.every((order) => order.total_due === 0)).toBe(true);

    const contactId = all[0]?.contact.id ?? 0;
    const byContact = await sandbox.get<Orders>(`/orders?contact_id=${contactId}`);
    expect(byContact.orders.every((order) => order.contact.id === contactId)).toBe(true);
    expect(byContact.count).toBeGreaterThan(0);

    const productId = all[0]?.order_items[0]?.product?.id ?? 0;
    const byProduct = await sandbox.get<Orders>(`/orders?product_id=${productId}`);
    expect(byProduct.count).toBeGreaterThan(0);
    for (const order of byProduct.orders) {
      expect(order.order_items.some((item) => item.product?.id === productId)).toBe(true);
    }
  });

  it('orders by modification_date when asked', async () => {
    const page = await sandbox.get<Orders>('/orders?order=modification_date');
    const dates = page.orders.map((order) => v1Ms(order.modification_date));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });
});

describe('GET /crm/rest/v1/orders/{id}', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  it('returns the same order as the list', async () => {
    const list = await sandbox.get<Orders>('/orders?limit=3');
    const single = await sandbox.get<Order>('/orders/3');
    expect(single).toEqual(list.orders[2]);
  });

  it('answers 404 with Keap’s message for an unknown id', async () => {
    const response = await api(sandbox.url, sandbox.token, '/orders/999999');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unable to find this Order' });
  });

  it('answers 400 for an id that is not a number', async () => {
    const response = await api(sandbox.url, sandbox.token, '/orders/abc');
    expect(response.status).toBe(400);
  });
});
