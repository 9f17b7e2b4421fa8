import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithToken, write, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;
type Row = Record<string, unknown> & { id: number };

describe('CRM resources', () => {
  let sandbox: Sandbox;
  const send = (method: string, path: string, body?: unknown) =>
    write(sandbox.url, sandbox.token, method, path, body);
  const created = async (method: string, path: string, body: unknown): Promise<Row> => {
    const response = await send(method, path, body);
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Row;
  };

  beforeAll(async () => {
    sandbox = await launchWithToken();
  });
  afterAll(() => sandbox.close());

  describe('opportunities', () => {
    it('lists 40 across four stages and reports the pipeline', async () => {
      const list = await sandbox.get<Envelope & { opportunities: { stage: { id: number } }[] }>(
        '/opportunities',
      );
      expect(list.count).toBe(40);
      const pipeline = await sandbox.get<{ stage_id: number; stage_count: number }[]>(
        '/opportunity/stage_pipeline',
      );
      expect(pipeline).toHaveLength(4);
      expect(pipeline.reduce((sum, stage) => sum + stage.stage_count, 0)).toBe(40);
    });

    it('creates, patches and replaces, moving last_updated', async () => {
      const row = await created('POST', '/opportunities', {
        opportunity_title: 'Big deal',
        contact: { id: 1 },
        stage: { id: 19 },
      });
      sandbox.advance(60_000);
      const patched = (await (
        await send('PATCH', `/opportunities/${row.id}`, { stage: { id: 21 } })
      ).json()) as Row & { stage: { id: number } };
      expect(patched.stage.id).toBe(21);
      expect(patched.last_updated).not.toBe(row.last_updated);

      const put = await send('PUT', '/opportunities', { id: row.id, opportunity_title: 'Renamed' });
      expect(((await put.json()) as Row).opportunity_title).toBe('Renamed');
    });

    it('requires title, contact and stage', async () => {
      expect((await send('POST', '/opportunities', { opportunity_title: 'x' })).status).toBe(400);
    });
  });

  describe('tasks', () => {
    it('filters on completed and since (modification_date), also under /tasks/search', async () => {
      const done = await sandbox.get<Envelope & { tasks: { completed: boolean }[] }>(
        '/tasks?completed=true',
      );
      expect(done.tasks.every((task) => task.completed)).toBe(true);
      const search = await sandbox.get<Envelope>('/tasks/search?completed=true');
      expect(search.count).toBe(done.count);
    });

    it('creates, completes and deletes a task', async () => {
      const task = await created('POST', '/tasks', { title: 'Call Ines', contact: { id: 1 } });
      const since = new Date(sandbox.now()).toISOString();
      const completed = (await (
        await send('PATCH', `/tasks/${task.id}`, { completed: true })
      ).json()) as Row;
      expect(completed.completion_date).toMatch(/\+0000$/);

      const recent = await sandbox.get<Envelope & { tasks: Row[] }>(`/tasks?since=${since}`);
      expect(recent.tasks.map((row) => row.id)).toContain(task.id);
      expect((await send('DELETE', `/tasks/${task.id}`)).status).toBe(204);
      expect((await send('GET', `/tasks/${task.id}`)).status).toBe(404);
    });
  });

  describe('notes and appointments', () => {
    it('creates and updates a note', async () => {
      const note = await created('POST', '/notes', { contact_id: 2, title: 'Hi', user_id: 1 });
      expect(note.last_updated_by).toMatchObject({ user_id: 1 });
      const updated = await send('PATCH', `/notes/${note.id}`, { body: 'Updated' });
      expect(((await updated.json()) as Row).body).toBe('Updated');
      expect((await send('POST', '/notes', { title: 'orphan' })).status).toBe(400);
    });

    it('creates an appointment and refuses one that ends before it starts', async () => {
      await created('POST', '/appointments', {
        title: 'Demo',
        start_date: '2026-01-20T15:00:00Z',
        end_date: '2026-01-20T15:30:00Z',
      });
      const backwards = await send('POST', '/appointments', {
        title: 'Oops',
        start_date: '2026-01-20T15:00:00Z',
        end_date: '2026-01-20T14:00:00Z',
      });
      expect(backwards.status).toBe(400);
    });
  });

  describe('tags, campaigns, emails, files, users', () => {
    it('creates a tag in a category and finds it by name', async () => {
      const category = await created('POST', '/tags/categories', { name: 'Events' });
      const body = { name: 'Expo 2026', category: { id: category.id } };
      const tag = await created('POST', '/tags', body);
      expect(tag.category).toMatchObject({ id: category.id, name: 'Events' });
      const found = await sandbox.get<Envelope>('/tags?name=expo%202026');
      expect(found.count).toBe(1);
    });

    it('reads campaigns with their sequences on request', async () => {
      const list = await sandbox.get<Envelope>('/campaigns');
      expect(list.count).toBe(3);
      const campaign = await sandbox.get<Row & { sequences: { id: number }[] }>(
        '/campaigns/1?optional_properties=sequences,goals',
      );
      const sequenceId = campaign.sequences[0]?.id;
      const path = `/campaigns/1/sequences/${sequenceId}/contacts`;
      const added = await send('POST', path, { ids: [1] });
      expect(added.status).toBe(204);
    });

    it('records emails and lists them per contact without content', async () => {
      const email = await created('POST', '/emails', { contact_id: 1, subject: 'Hello' });
      expect(email).toHaveProperty('html_content');
      const list = await sandbox.get<Envelope & { emails: Row[] }>('/contacts/1/emails');
      expect(list.emails.map((row) => row.id)).toContain(email.id);
      expect(list.emails[0]).not.toHaveProperty('html_content');
    });

    it('uploads a file and returns its data only when asked', async () => {
      const data = Buffer.from('hello').toString('base64');
      const upload = await created('POST', '/files', {
        file_name: 'hello.txt',
        file_data: data,
        contact_id: 1,
        is_public: false,
        file_association: 'CONTACT',
      });
      const descriptor = upload.file_descriptor as Row;
      expect(descriptor.file_size).toBe(5);
      const plain = await sandbox.get<{ file_data: unknown }>(`/files/${descriptor.id}`);
      expect(plain.file_data).toBeNull();
      const full = await sandbox.get<{ file_data: unknown }>(
        `/files/${descriptor.id}?optional_properties=file_data`,
      );
      expect(full.file_data).toBe(data);
      const matches = await sandbox.get<Envelope>('/files?name=hello*');
      expect(matches.count).toBe(1);
    });

    it('lists users and invites one', async () => {
      const users = await sandbox.get<Envelope>('/users');
      expect(users.count).toBe(2);
      const invite = { email: 'new@ab123.example', given_name: 'Nia' };
      const user = await created('POST', '/users', invite);
      expect(user.status).toBe('Invited');
    });
  });

  describe('account and reference data', () => {
    it('serves commissions, userinfo, merchants and models', async () => {
      const commissions = await sandbox.get<Envelope & { commissions: Row[] }>(
        '/affiliates/commissions',
      );
      expect(commissions.count).toBeGreaterThan(0);
      expect(commissions.commissions[0]?.date_earned).toMatch(/\+0000$/);

      const userinfo = await sandbox.get<Row>('/oauth/connect/userinfo');
      expect(userinfo.infusionsoft_id).toBe('ab123.infusionsoft.com');
      const merchants = await sandbox.get<{ merchant_accounts: { is_test: boolean }[] }>(
        '/merchants',
      );
      expect(merchants.merchant_accounts.some((account) => account.is_test)).toBe(true);

      for (const resource of ['companies', 'opportunities', 'orders', 'tasks', 'notes']) {
        const model = await sandbox.get<Row>(`/${resource}/model`);
        expect(model).toHaveProperty('custom_fields');
        expect(model).toHaveProperty('optional_properties');
      }
    });

    it('creates and patches a company', async () => {
      const company = await created('POST', '/companies', { company_name: 'Tideline Co.' });
      const website = 'https://t.example';
      const patched = await send('PATCH', `/companies/${company.id}`, { website });
      expect(((await patched.json()) as Row).website).toBe(website);
      const legacy = await send('PATCH', `/company/${company.id}`, { notes: 'legacy path' });
      expect(((await legacy.json()) as Row).notes).toBe('legacy path');
      expect((await send('POST', '/companies', {})).status).toBe(400);
    });
  });
});
