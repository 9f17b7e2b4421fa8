import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchWithToken, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;

interface Contact {
  id: number;
  given_name: string | null;
  family_name: string | null;
  email_status: string;
  email_addresses: { email: string; field: string }[];
  phone_numbers: { number: string }[];
  last_updated: string;
  last_updated_utc_millis: number;
  ScoreValue: string | null;
  custom_fields?: { id: number; content: unknown }[];
}
type Contacts = Envelope & { contacts: Contact[] };

const v1Ms = (text: string) => Date.parse(text.replace('+0000', 'Z'));

describe('GET /crm/rest/v1/contacts', () => {
  let sandbox: Sandbox;
  let all: Contact[];
  beforeAll(async () => {
    sandbox = await launchWithToken();
    all = (await sandbox.get<Contacts>('/contacts')).contacts;
  });
  afterAll(() => sandbox.close());

  it('carries ScoreValue and last_updated_utc_millis like recorded Keap lists', () => {
    for (const contact of all) {
      expect(contact).toHaveProperty('ScoreValue');
      expect(contact.last_updated_utc_millis).toBe(v1Ms(contact.last_updated));
      expect(contact).not.toHaveProperty('custom_fields');
    }
  });

  it('mixes email statuses and has phone-only contacts', () => {
    expect(new Set(all.map((contact) => contact.email_status)).size).toBeGreaterThan(5);
    const phoneOnly = all.filter((contact) => contact.email_addresses.length === 0);
    expect(phoneOnly.length).toBeGreaterThan(0);
    expect(phoneOnly.every((contact) => contact.phone_numbers.length > 0)).toBe(true);
  });

  it('filters on email ignoring case, and on names', async () => {
    const target = all.find((contact) => contact.email_addresses.length > 0);
    const email = target?.email_addresses[0]?.email.toUpperCase() ?? '';
    const byEmail = await sandbox.get<Contacts>(`/contacts?email=${encodeURIComponent(email)}`);
    expect(byEmail.contacts.map((contact) => contact.id)).toEqual([target?.id]);

    const name = target?.given_name ?? '';
    const byName = await sandbox.get<Contacts>(`/contacts?given_name=${name}`);
    expect(byName.count).toBe(all.filter((contact) => contact.given_name === name).length);
  });

  it('filters since/until on last_updated', async () => {
    const pivot = all[100]?.last_updated ?? '';
    const since = new Date(v1Ms(pivot)).toISOString();
    const page = await sandbox.get<Contacts>(`/contacts?since=${since}`);
    const expected = all.filter((contact) => v1Ms(contact.last_updated) >= v1Ms(pivot));
    expect(page.contacts.map((contact) => contact.id)).toEqual(expected.map((c) => c.id));

    const malformed = await api(sandbox.url, sandbox.token, '/contacts?until=last-week');
    expect(malformed.status).toBe(400);
  });

  it('orders by a field in either direction', async () => {
    const query = 'order=date_created&order_direction=DESCENDING';
    const page = await sandbox.get<Contacts>(`/contacts?${query}`);
    const ids = page.contacts.map((contact) => contact.id);
    // Seeded ids grow with date_created, so descending dates means descending ids.
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('adds custom_fields to list items only when asked through optional_properties', async () => {
    const page = await sandbox.get<Contacts>('/contacts?limit=3&optional_properties=custom_fields');
    for (const contact of page.contacts) {
      expect(contact.custom_fields).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: 2 })]),
      );
    }
  });
});

describe('GET /crm/rest/v1/contacts/{id}', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  it('returns the full contact without job_title, lead_source_id and custom_fields', async () => {
    const contact = await sandbox.get<Record<string, unknown>>('/contacts/1');
    expect(contact.id).toBe(1);
    expect(contact).toHaveProperty('source_type');
    expect(contact).toHaveProperty('birthday');
    expect(contact).not.toHaveProperty('job_title');
    expect(contact).not.toHaveProperty('custom_fields');
    expect(contact).not.toHaveProperty('lead_source_id');
  });

  it('adds optional properties on request', async () => {
    const contact = await sandbox.get<Record<string, unknown>>(
      '/contacts/1?optional_properties=custom_fields,job_title,lead_source_id',
    );
    expect(contact).toHaveProperty('custom_fields');
    expect(contact).toHaveProperty('job_title');
    expect(contact).toHaveProperty('lead_source_id');
  });

  it('answers 404 with Keap’s message for an unknown id', async () => {
    const response = await api(sandbox.url, sandbox.token, '/contacts/100000');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unable to find this Contact' });
  });
});
