import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/elements/catalog.js';
import { ELEMENTS_DIR } from '../src/start.js';
import { sampleClause } from './support/ceql-samples.js';
import { provision, startStack, type ProvisionedInstance, type Stack } from './support/stack.js';

/**
 * Every resource of every element, with every verb it declares, against the sandbox over
 * HTTP. Each resource has a scenario below; a coverage check at the end proves no declared
 * operation was left out.
 */

type Json = Record<string, any>;
interface Call {
  (method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
}
interface Context {
  call: Call;
  hub: string;
  contactId: number;
  productId: number;
  /** Ids of other resources, found through the REST element, which has them all. */
  tagId: number;
  userId: number;
}

const now = () => new Date().toISOString();
const unique = () => Math.random().toString(36).slice(2, 8);

/** Runs the operations of one resource in an order that gives each the ids it needs. */
const scenarios: Record<string, (c: Context) => Promise<void>> = {
  async orders({ call, contactId, productId }) {
    const order = await call('POST', '/orders', {
      contact_id: contactId,
      order_date: now(),
      order_title: 'Resource test order',
      order_type: 'Online',
      order_items: [{ product_id: productId, quantity: 2 }],
    });
    const id = order.body.id;
    await call('GET', `/orders/${id}`);
    const item = await call('POST', `/orders/${id}/items`, { product_id: productId, quantity: 1, price: '5.00', description: 'extra' });
    await call('DELETE', `/orders/${id}/items/${item.body.id}`);
    await call('POST', `/orders/${id}/payments`, { payment_amount: '1.00', payment_method_type: 'CASH', apply_to_commissions: false, date: now() });
    await call('GET', `/orders/${id}/transactions`);
    await call('DELETE', `/orders/${id}`);
  },
  async products({ call }) {
    const product = await call('POST', '/products', { product_name: `Resource test ${unique()}`, product_price: 9.5, active: true });
    const id = product.body.id;
    await call('GET', `/products/${id}`);
    await call('PATCH', `/products/${id}`, { product_short_desc: 'updated' });
    const plan = await call('POST', `/products/${id}/subscriptions`, {
      frequency: 1,
      cycle_type: 'MONTH',
      plan_price: 9.5,
      number_of_cycles: 0,
      active: true,
      subscription_plan_index: 0,
    });
    await call('GET', `/products/${id}/subscriptions/${plan.body.id}`);
    await call('DELETE', `/products/${id}/subscriptions/${plan.body.id}`);
    await call('DELETE', `/products/${id}`);
  },
  async transactions({ call }) {
    const [first] = (await call('GET', '/transactions?pageSize=1')).body;
    await call('GET', `/transactions/${first.id}`);
  },
  async subscriptions({ call, contactId }) {
    const products: Json[] = (await call('GET', '/products?pageSize=50')).body;
    const withPlan = products.find((p) => p['subscription_plans']?.length);
    await call('POST', '/subscriptions', {
      contact_id: contactId,
      product_id: withPlan?.['id'],
      subscription_plan_id: withPlan?.['subscription_plans'][0].id,
      quantity: 1,
    });
  },
  async contacts({ call, tagId }) {
    const email = `resource-${unique()}@example.com`;
    const contact = await call('POST', '/contacts', { given_name: 'Res', family_name: 'Test', email_addresses: [{ email, field: 'EMAIL1' }] });
    const id = contact.body.id;
    await call('GET', `/contacts/${id}?optional_properties=job_title`);
    await call('PATCH', `/contacts/${id}`, { family_name: 'Updated' });
    await call('POST', `/contacts/${id}/tags`, { tagIds: [tagId] });
    await call('GET', `/contacts/${id}/tags`);
    await call('DELETE', `/contacts/${id}/tags/${tagId}`);
    await call('POST', `/contacts/${id}/tags`, { tagIds: [tagId] });
    await call('DELETE', `/contacts/${id}/tags?ids=${tagId}`);
    await call('POST', `/contacts/${id}/emails`, { subject: 'Hello', sent_to_address: email, sent_from_address: 'shop@example.com', html_content: 'aGk=' });
    await call('GET', `/contacts/${id}/emails`);
    await call('DELETE', `/contacts/${id}`);
  },
  async accounts({ call }) {
    const company = await call('POST', '/accounts', { company_name: `Resource Co ${unique()}` });
    await call('GET', `/accounts/${company.body.id}`);
    await call('PATCH', `/accounts/${company.body.id}`, { website: 'https://example.com' });
  },
  opportunities: (c) => opportunity(c, '/opportunities'),
  leads: (c) => opportunity(c, '/leads'),
  async notes({ call, contactId }) {
    const note = await call('POST', '/notes', { contact_id: contactId, title: 'Resource note', body: 'b', type: 'Call' });
    await call('GET', `/notes/${note.body.id}`);
    await call('PATCH', `/notes/${note.body.id}`, { title: 'Updated note' });
    await call('DELETE', `/notes/${note.body.id}`);
  },
  async tasks({ call, contactId }) {
    const task = await call('POST', '/tasks', { title: 'Resource task', contact: { id: contactId }, due_date: now() });
    await call('GET', '/tasks/search?pageSize=2');
    await call('GET', `/tasks/${task.body.id}`);
    await call('PATCH', `/tasks/${task.body.id}`, { completed: true });
    await call('DELETE', `/tasks/${task.body.id}`);
  },
  async tags({ call, contactId }) {
    const category = await call('POST', '/tags/categories', { name: `Cat ${unique()}`, description: 'd' });
    const tag = await call('POST', '/tags', { name: `Tag ${unique()}`, description: 'd', category: { id: category.body.id } });
    const id = tag.body.id;
    await call('GET', `/tags/${id}`);
    await call('POST', `/tags/${id}/contacts`, { ids: [contactId] });
    await call('GET', `/tags/${id}/contacts`);
    await call('GET', `/tags/${id}/companies`);
    await call('DELETE', `/tags/${id}/contacts/${contactId}`);
    await call('POST', `/tags/${id}/contacts`, { ids: [contactId] });
    await call('DELETE', `/tags/${id}/contacts?ids=${contactId}`);
  },
  async campaigns({ call, contactId }) {
    const [first] = (await call('GET', '/campaigns?pageSize=5')).body;
    const campaign = await call('GET', `/campaigns/${first.id}?optional_properties=sequences`);
    const sequence = campaign.body.sequences[0].id;
    const base = `/campaigns/${first.id}/sequences/${sequence}/contacts`;
    await call('POST', base, { ids: [contactId] });
    await call('DELETE', base, { ids: [contactId] });
    await call('POST', `${base}/${contactId}`);
    await call('DELETE', `${base}/${contactId}`);
  },
  async emails({ call, contactId, userId }) {
    const body = { contact_id: contactId, subject: 'Resource email', sent_to_address: 'a@example.com', sent_from_address: 'b@example.com' };
    const email = await call('POST', '/emails', body);
    await call('GET', `/emails/${email.body.id}`);
    await call('PUT', `/emails/${email.body.id}`, { ...body, subject: 'Updated' });
    await call('DELETE', `/emails/${email.body.id}`);
    await call('POST', '/emails/queue', { contacts: [contactId], user_id: userId, subject: 'Hi', html_content: 'aGk=' });
  },
  async files({ call, contactId }) {
    const body = { file_name: 'note.txt', file_data: Buffer.from('hello').toString('base64'), is_public: false, file_association: 'CONTACT', contact_id: contactId };
    const file = await call('POST', '/files', body);
    const id = file.body.file_descriptor?.id ?? file.body.id;
    await call('GET', `/files/${id}`);
    await call('PUT', `/files/${id}`, { ...body, file_name: 'renamed.txt' });
    await call('DELETE', `/files/${id}`);
  },
  async users({ call }) {
    await call('POST', '/users', { email: `user-${unique()}@example.com`, given_name: 'New' });
  },
  async appointments({ call, contactId }) {
    const start = new Date(Date.now() + 86_400_000);
    const appointment = await call('POST', '/appointments', {
      title: 'Resource appointment',
      contact_id: contactId,
      start_date: start.toISOString(),
      end_date: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    await call('GET', `/appointments/${appointment.body.id}`);
    await call('PATCH', `/appointments/${appointment.body.id}`, { title: 'Updated' });
    await call('DELETE', `/appointments/${appointment.body.id}`);
  },
  async commissions() {},
};

async function opportunity({ call, contactId }: Context, base: string): Promise<void> {
  const [existing] = (await call('GET', `${base}?pageSize=1`)).body;
  const created = await call('POST', base, {
    opportunity_title: 'Resource deal',
    contact: { id: contactId },
    stage: { id: existing.stage.id },
  });
  await call('GET', `${base}/${created.body.id}?optional_properties=custom_fields`);
  await call('PATCH', `${base}/${created.body.id}`, { opportunity_title: 'Updated deal' });
}

const ELEMENTS = ['infusionsoftecommerce', 'infusionsoftcrm', 'infusionsoftmarketing', 'infusionsoftrest'];

describe('every hub resource of every element', () => {
  let stack: Stack;
  const instances = new Map<string, ProvisionedInstance>();
  const covered = new Set<string>();
  beforeAll(async () => {
    stack = await startStack({ name: 'hub-resources' });
    for (const key of ELEMENTS) instances.set(key, await provision(stack, key));
  });
  afterAll(() => stack.close());

  interface Declared {
    hub: string;
    resources: { canonicalName: string; operations: string[] }[];
  }

  for (const key of ELEMENTS) {
    it(`${key}: lists page consistently and every declared verb answers 2xx`, async () => {
      const instance = instances.get(key) as ProvisionedInstance;
      const element = (await (await fetch(`${stack.api}/elements/${key}`)).json()) as { hub: string };
      const meta = (await (await fetch(`${stack.api}/elements/${key}/metadata?expand=true`)).json()) as Declared;
      const call: Call = async (method, path, body) => {
        const res = await fetch(`${stack.api}/hubs/${element.hub}${path}`, {
          method,
          headers: { authorization: instance.hubAuth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
        covered.add(`${key} ${method} ${templateOf(meta, method, path)}`);
        return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
      };
      const rest = instances.get('infusionsoftrest') as ProvisionedInstance;
      const ctx: Context = {
        call,
        hub: element.hub,
        contactId: (await firstId(stack, rest, '/hubs/crm/contacts')) as number,
        productId: (await firstId(stack, rest, '/hubs/crm/products')) as number,
        tagId: (await firstId(stack, rest, '/hubs/crm/tags')) as number,
        userId: (await firstId(stack, rest, '/hubs/crm/users')) as number,
      };
      for (const resource of meta.resources) {
        for (const op of resource.operations.filter((o) => o.startsWith('GET ') && !o.includes('{'))) {
          await pagingHolds(call, op.slice(4));
        }
        await scenarios[resource.canonicalName]?.(ctx);
        await whereClausesReachKeap(call, key, resource.canonicalName);
        for (const op of resource.operations) {
          expect(covered, `${key}: ${op} was not exercised`).toContain(`${key} ${op}`);
        }
      }
    });
  }
});

/** Every declared filter of the resource's plain lists, sent through to the sandbox. */
async function whereClausesReachKeap(call: Call, elementKey: string, resourceName: string): Promise<void> {
  const catalog = await loadCatalog(ELEMENTS_DIR, {});
  const resource = catalog.find(elementKey)?.resources.find((r) => r.name === resourceName);
  for (const operation of resource?.operations ?? []) {
    if (operation.kind !== 'list' || operation.path.includes('{')) continue;
    for (const filter of operation.filters) {
      const where = encodeURIComponent(sampleClause(filter, filter.operators[0] ?? '='));
      await call('GET', `${operation.path}?pageSize=2&where=${where}`);
    }
  }
}

async function pagingHolds(call: Call, path: string): Promise<void> {
  const ids = async (page: number, size: number) =>
    ((await call('GET', `${path}?page=${page}&pageSize=${size}`)).body as Json[]).map((r) => JSON.stringify(r));
  const [p1, p2, both] = [await ids(1, 2), await ids(2, 2), await ids(1, 4)];
  expect([...p1, ...p2], `paging of ${path}`).toEqual(both);
}

async function firstId(stack: Stack, instance: ProvisionedInstance, path: string): Promise<number | undefined> {
  const res = await fetch(`${stack.api}${path}?pageSize=1`, { headers: { authorization: instance.hubAuth } });
  return ((await res.json()) as Json[])[0]?.['id'];
}

/** The declared template (`GET /orders/{id}`) that a concrete call matched. */
function templateOf(meta: { resources: { operations: string[] }[] }, method: string, path: string): string {
  const bare = path.split('?')[0] ?? '';
  for (const op of meta.resources.flatMap((r) => r.operations)) {
    const [m, template] = op.split(' ');
    if (m !== method || !template) continue;
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    if (pattern.test(bare)) return template;
  }
  return bare;
}
