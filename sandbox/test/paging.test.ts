import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchWithToken, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;
type Contacts = Envelope & { contacts: { id: number }[] };

describe('REST v1 paging', () => {
  let sandbox: Sandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await launchWithToken();
    base = `${sandbox.url}/crm/rest/v1`;
  });
  afterAll(() => sandbox.close());

  it('defaults to limit 1000 and reports the total as count', async () => {
    const page = await sandbox.get<Contacts>('/contacts');
    expect(page.count).toBe(220);
    expect(page.contacts).toHaveLength(220);
    // next.limit echoes count; next.offset moves by the requested (default) limit.
    expect(page.next).toBe(`${base}/contacts/?limit=220&offset=1000`);
    expect(page.previous).toBe(`${base}/contacts/?limit=1000&offset=0`);
  });

  it('keeps next on the last page and returns an empty page past the end', async () => {
    const last = await sandbox.get<Contacts>('/contacts?limit=50&offset=200');
    expect(last.contacts).toHaveLength(20);
    expect(last.count).toBe(220);
    expect(last.next).toBe(`${base}/contacts/?limit=220&offset=250`);
    expect(last.previous).toBe(`${base}/contacts/?limit=50&offset=150`);

    const beyond = await sandbox.get<Contacts>('/contacts?limit=50&offset=250');
    expect(beyond.contacts).toEqual([]);
    expect(beyond.count).toBe(220);
    expect(beyond.next).toBe(`${base}/contacts/?limit=220&offset=300`);
  });

  it('caps limit at 1000', async () => {
    const page = await sandbox.get<Contacts>('/contacts?limit=5000&offset=10');
    expect(page.contacts).toHaveLength(210);
    expect(page.previous).toBe(`${base}/contacts/?limit=1000&offset=0`);
  });

  it('rebuilds links from the request minus optional_properties and the token', async () => {
    const since = '2025-12-01T00:00:00.000Z';
    const query = `limit=10&since=${since}&optional_properties=custom_fields&order=id`;
    const response = await fetch(`${base}/contacts?${query}&access_token=${sandbox.token}`);
    const page = (await response.json()) as Contacts;

    const carried = `since=${since}&order=id`;
    expect(page.next).toBe(`${base}/contacts/?limit=${page.count}&offset=10&${carried}`);
    expect(page.previous).toBe(`${base}/contacts/?limit=10&offset=0&${carried}`);
    expect(page.next).not.toContain('optional_properties');
    expect(page.next).not.toContain('access_token');
  });

  it('visits every record once when a client follows next until an empty page', async () => {
    const seen: number[] = [];
    let url = `${base}/contacts?limit=30`;
    for (let guard = 0; guard < 50; guard += 1) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${sandbox.token}` } });
      const page = (await response.json()) as Contacts;
      if (page.contacts.length === 0) break;
      seen.push(...page.contacts.map((contact) => contact.id));
      url = page.next;
    }
    expect(seen).toHaveLength(220);
    expect(new Set(seen).size).toBe(220);
  });

  it.each([
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['limit=1.5', 'limit'],
  ])('answers 400 with a message for %s', async (query, name) => {
    const response = await api(sandbox.url, sandbox.token, `/orders?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain(`'${name}'`);
  });

  it('accepts a trailing slash before the query, as next links have it', async () => {
    const page = await sandbox.get<Envelope & { orders: unknown[] }>('/orders/?limit=2');
    expect(page.orders).toHaveLength(2);
  });
});
