import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchWithToken, write, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;
type Contact = Record<string, unknown> & { id: number; last_updated: string; tag_ids: number[] };

describe('contact writes', () => {
  let sandbox: Sandbox;
  const send = (method: string, path: string, body?: unknown) =>
    write(sandbox.url, sandbox.token, method, path, body);

  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  it('refuses a contact without email or phone with Keap’s message', async () => {
    const response = await send('POST', '/contacts', { given_name: 'Nobody' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Contact must contain an e-mail address or phone number',
    });
  });

  it('creates a contact with server-set dates and finds it with since', async () => {
    sandbox.advance(60_000);
    const response = await send('POST', '/contacts', {
      given_name: 'Ines',
      family_name: 'Ortega',
      email_addresses: [{ email: 'ines@example.com', field: 'EMAIL1' }],
    });
    expect(response.status).toBe(201);
    const contact = (await response.json()) as Contact;
    const now = new Date(sandbox.now()).toISOString().replace('Z', '+0000');
    expect(contact).toMatchObject({ date_created: now, last_updated: now, ScoreValue: '0' });

    const since = new Date(sandbox.now()).toISOString();
    const page = await sandbox.get<Envelope & { contacts: Contact[] }>(`/contacts?since=${since}`);
    expect(page.contacts.map((row) => row.id)).toEqual([contact.id]);
  });

  it('accepts a phone-only contact', async () => {
    const response = await send('POST', '/contacts', { phone_numbers: [{ number: '555-0100' }] });
    expect(response.status).toBe(201);
  });

  it('patches only the fields in update_mask and moves last_updated', async () => {
    sandbox.advance(60_000);
    const response = await send('PATCH', '/contacts/3?update_mask=given_name', {
      given_name: 'Renamed',
      family_name: 'Ignored',
    });
    const contact = (await response.json()) as Contact;
    expect(contact.given_name).toBe('Renamed');
    expect(contact.family_name).not.toBe('Ignored');
    expect(contact.last_updated).toBe(new Date(sandbox.now()).toISOString().replace('Z', '+0000'));
  });

  it('upserts on email with PUT /contacts', async () => {
    const body = { email_addresses: [{ email: 'INES@example.com' }], job_title: 'CEO' };
    const response = await send('PUT', '/contacts', body);
    expect(response.status).toBe(200);
    const fresh = { email_addresses: [{ email: 'new@x.example' }] };
    const created = await send('PUT', '/contacts', fresh);
    expect(created.status).toBe(201);
  });

  it('deletes a contact; it is then a 404', async () => {
    expect((await send('DELETE', '/contacts/4')).status).toBe(204);
    const response = await api(sandbox.url, sandbox.token, '/contacts/4');
    expect(response.status).toBe(404);
    expect((await send('DELETE', '/contacts/4')).status).toBe(404);
  });

  it('applies and removes tags, visible from both sides', async () => {
    const applied = await send('POST', '/contacts/5/tags', { tagIds: [90, 91, 9999] });
    expect(await applied.json()).toEqual({
      90: 'SUCCESS',
      91: 'SUCCESS',
      9999: 'TAG_ID_NOT_FOUND',
    });
    const again = await send('POST', '/contacts/5/tags', { tagIds: [90] });
    expect(await again.json()).toEqual({ 90: 'DUPLICATE' });

    const onTag = await sandbox.get<Envelope & { contacts: { contact: { id: number } }[] }>(
      '/tags/90/contacts',
    );
    expect(onTag.contacts.map((entry) => entry.contact.id)).toContain(5);

    expect((await send('DELETE', '/contacts/5/tags?ids=90,91')).status).toBe(204);
    const contact = await sandbox.get<Contact>('/contacts/5');
    expect(contact.tag_ids).not.toContain(90);
  });

  it('tags contacts from the tag side with {"ids": [...]}', async () => {
    const response = await send('POST', '/tags/92/contacts', { ids: [6, 999_999] });
    expect(await response.json()).toEqual({ 6: 'SUCCESS', 999999: 'CONTACT_NOT_FOUND' });
    expect((await send('DELETE', '/tags/92/contacts/6')).status).toBe(204);
  });

  it('lists a contact’s tags with the date applied', async () => {
    await send('POST', '/contacts/7/tags', { tagIds: [93] });
    type Tags = Envelope & { tags: { tag: { id: number }; date_applied: string }[] };
    const page = await sandbox.get<Tags>('/contacts/7/tags');
    expect(page.tags.find((entry) => entry.tag.id === 93)?.date_applied).toMatch(/\+0000$/);
  });

  it('rejects a malformed body with a message naming the field', async () => {
    const response = await send('POST', '/contacts', { email_addresses: [{ email: 'nope' }] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('email_addresses');
  });

  it('serves the contact model with custom field definitions', async () => {
    const model = await sandbox.get<{ custom_fields: { id: number; label: string }[] }>(
      '/contacts/model',
    );
    expect(model.custom_fields.map((field) => field.id)).toEqual([2, 4, 6]);
  });
});
