import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

interface Order {
  id: number;
  modification_date: string;
  contact?: { id: number };
  total_due?: number;
  total_paid?: number;
}

describe('where, orderBy and fields on hub lists', () => {
  let stack: Stack;
  let orders: ProvisionedInstance;
  let crm: ProvisionedInstance;
  beforeAll(async () => {
    stack = await startStack({ name: 'hub-query' });
    orders = await provision(stack);
    crm = await provision(stack, 'infusionsoftcrm');
  });
  afterAll(() => stack.close());

  const get = async <T>(instance: ProvisionedInstance, path: string) => {
    const res = await fetch(`${stack.api}${path}`, { headers: { authorization: instance.hubAuth } });
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  };
  const q = encodeURIComponent;

  it("translates since= into Keap's since and returns only orders changed after it", async () => {
    const all = await get<Order[]>(orders, '/hubs/ecommerce/orders?pageSize=100');
    const dates = all.body.map((o) => Date.parse(o.modification_date.replace(/(\d{2})(\d{2})$/, '$1:$2'))).sort();
    const middle = new Date(dates[Math.floor(dates.length / 2)] ?? 0);
    const where = `since='${middle.toISOString().replace('.000Z', '+00:00')}'`;
    const since = await get<Order[]>(orders, `/hubs/ecommerce/orders?pageSize=100&where=${q(where)}`);
    expect(since.status).toBe(200);
    expect(since.body.length).toBeGreaterThan(0);
    expect(since.body.length).toBeLessThan(Number(all.headers.get('elements-total-count')));
    for (const order of since.body) {
      expect(Date.parse(order.modification_date.replace(/(\d{2})(\d{2})$/, '$1:$2'))).toBeGreaterThanOrEqual(middle.getTime());
    }
    const same = await get<Order[]>(orders, `/hubs/ecommerce/orders?pageSize=100&where=${q(`modification_date >= '${middle.toISOString()}'`)}`);
    expect(same.body.map((o) => o.id)).toEqual(since.body.map((o) => o.id));
  });

  it('combines clauses with AND: contact_id and paid', async () => {
    const [first] = (await get<Order[]>(orders, '/hubs/ecommerce/orders?pageSize=1')).body;
    const contactId = first?.contact?.id;
    const res = await get<Order[]>(orders, `/hubs/ecommerce/orders?where=${q(`contact_id = ${contactId} AND paid = false`)}`);
    expect(res.status).toBe(200);
    for (const order of res.body) expect(order.contact?.id).toBe(contactId);
  });

  it('filters contacts by email exactly (equality search)', async () => {
    const [first] = (await get<{ email_addresses?: { email: string }[] }[]>(crm, '/hubs/crm/contacts?pageSize=5')).body.filter(
      (c) => c.email_addresses?.length,
    );
    const email = first?.email_addresses?.[0]?.email ?? '';
    const res = await get<{ email_addresses: { email: string }[] }[]>(crm, `/hubs/crm/contacts?where=${q(`email='${email}'`)}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(1);
    for (const contact of res.body) expect(contact.email_addresses.map((e) => e.email)).toContain(email);
  });

  it('refuses a field the resource cannot filter on, listing what it supports', async () => {
    const res = await get<{ message: string }>(orders, `/hubs/ecommerce/orders?where=${q("title = 'x'")}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("'title'");
    expect(res.body.message).toContain('since');
    expect(res.body.message).toContain('contact_id');
  });

  it('refuses OR, which Keap cannot express', async () => {
    const res = await get<{ message: string }>(orders, `/hubs/ecommerce/orders?where=${q('paid = true OR paid = false')}`);
    expect(res.status).toBe(400);
    expect(res.body.message.toLowerCase()).toContain('or');
  });

  it('answers a syntax error with Error parsing query and the position', async () => {
    const res = await get<{ message: string }>(orders, `/hubs/ecommerce/orders?where=${q("since = '2020")}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Error parsing query at position \d+/);
  });

  it('sorts with orderBy, and refuses a sort field Keap does not have', async () => {
    const sorted = await get<{ id: number; given_name?: string }[]>(crm, '/hubs/crm/contacts?pageSize=20&orderBy=id desc');
    const ids = sorted.body.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const bad = await get<{ message: string }>(crm, '/hubs/crm/contacts?orderBy=favourite_colour');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('favourite_colour');
  });

  it('returns only the requested fields, dot paths included', async () => {
    const res = await get<Record<string, unknown>[]>(orders, '/hubs/ecommerce/orders?pageSize=3&fields=id,contact.id');
    for (const order of res.body) {
      expect(Object.keys(order).sort()).toEqual(['contact', 'id']);
      expect(Object.keys(order['contact'] as object)).toEqual(['id']);
    }
  });

  it('keeps where clauses across pages: page 1 + page 2 = page 1 of double size', async () => {
    const where = q('paid = false');
    const ids = async (path: string) => (await get<Order[]>(orders, path)).body.map((o) => o.id);
    const p1 = await ids(`/hubs/ecommerce/orders?where=${where}&pageSize=4&page=1`);
    const p2 = await ids(`/hubs/ecommerce/orders?where=${where}&pageSize=4&page=2`);
    const both = await ids(`/hubs/ecommerce/orders?where=${where}&pageSize=8&page=1`);
    expect([...p1, ...p2]).toEqual(both);
  });

  it('carries optional_properties to every page, which Keap drops from its next links', async () => {
    for (const page of [1, 2, 3]) {
      const res = await get<Record<string, unknown>[]>(crm, `/hubs/crm/contacts?pageSize=5&page=${page}&optional_properties=custom_fields`);
      expect(res.status).toBe(200);
      expect(res.body.every((c) => 'custom_fields' in c)).toBe(true);
    }
    const plain = await get<Record<string, unknown>[]>(crm, '/hubs/crm/contacts?pageSize=5&page=2');
    expect(plain.body.some((c) => 'custom_fields' in c)).toBe(false);
  });
});
