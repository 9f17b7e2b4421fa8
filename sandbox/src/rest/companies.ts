/**
 * Companies — list, create, read and update (keap.md §3.3). The 2019 spec patches through the
 * singular `/company/{id}`; current v1 uses `/companies/{id}`. Both are served. `notes`,
 * `fax_number` and `custom_fields` appear only when named in `optional_properties`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { CompanyRecord } from '../data/models.js';
import { applyDefined, customFieldValues, findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryChoice, queryList, queryText, type RawQuery } from './query.js';
import { sortRows, type SortKey } from './sorting.js';

const text = z.string().nullable().optional();

const companyBody = z.object({
  company_name: z.string().min(1).optional(),
  email_address: z.email().nullable().optional(),
  phone_number: z
    .object({
      number: z.string(),
      extension: z.string().nullable().default(null),
      type: z.string().default('Work'),
    })
    .nullable()
    .optional(),
  fax_number: z
    .object({ number: z.string(), type: z.string().default('Work') })
    .nullable()
    .optional(),
  address: z
    .object({
      line1: z.string().default(''),
      line2: z.string().nullable().default(null),
      locality: z.string().default(''),
      region: z.string().default(''),
      zip_code: z.string().default(''),
      zip_four: z.string().nullable().default(null),
      country_code: z.string().default('USA'),
    })
    .nullable()
    .optional(),
  website: text,
  notes: text,
  opt_in_reason: text,
  custom_fields: customFieldValues.optional(),
});

const ORDER_KEYS = {
  id: (row: CompanyRecord): SortKey => row.id,
  date_created: (row: CompanyRecord): SortKey => row.date_created,
  name: (row: CompanyRecord): SortKey => row.company_name.toLowerCase(),
} as const;
const ORDER_FIELDS = Object.keys(ORDER_KEYS) as (keyof typeof ORDER_KEYS)[];

export function registerCompanies(app: FastifyInstance, context: SandboxContext): void {
  app.get('/companies', async (request) => {
    const query = request.query as RawQuery;
    const name = queryText(query, 'company_name')?.toLowerCase();
    const order = queryChoice(query, 'order', ORDER_FIELDS) ?? 'id';
    const direction = queryChoice(query, 'order_direction', ['ascending', 'descending'] as const);
    const optional = queryList(query, 'optional_properties');

    const matching = context.data.companies
      .all()
      .filter((row) => name === undefined || row.company_name.toLowerCase().includes(name));
    const sorted = sortRows(matching, ORDER_KEYS[order], direction);
    return listEnvelope(request, 'companies', sorted, (row) => companyView(row, optional));
  });

  app.post('/companies', async (request, reply) => {
    const { opt_in_reason: reason, ...body } = parseBody(
      companyBody.required({ company_name: true }),
      request,
    );
    const now = context.clock.now();
    const company = context.data.companies.insert((id) =>
      applyDefined(blankCompany(id, body.company_name, now, reason), body),
    );
    return reply.code(201).send(companyView(company, ['notes', 'fax_number', 'custom_fields']));
  });

  app.get<{ Params: { id: string } }>('/companies/:id', async (request) => {
    const company = findRecord(context.data.companies, request.params.id, 'Company');
    return companyView(company, queryList(request.query as RawQuery, 'optional_properties'));
  });

  for (const path of ['/companies/:id', '/company/:id']) {
    app.patch<{ Params: { id: string } }>(path, async (request) => {
      const company = findRecord(context.data.companies, request.params.id, 'Company');
      const { opt_in_reason: reason, ...body } = parseBody(companyBody, request);
      const updated = applyDefined({ ...company }, body);
      if (reason) updated.email_opted_in = true;
      updated.last_updated = context.clock.now();
      context.data.companies.put(updated);
      return companyView(updated, ['notes', 'fax_number', 'custom_fields']);
    });
  }
}

export function companyView(company: CompanyRecord, optional: readonly string[]) {
  const view: Record<string, unknown> = {
    id: company.id,
    company_name: company.company_name,
    email_address: company.email_address,
    email_opted_in: company.email_opted_in,
    email_status: company.email_status,
    phone_number: company.phone_number,
    address: company.address,
    website: company.website,
  };
  if (optional.includes('notes')) view.notes = company.notes;
  if (optional.includes('fax_number')) view.fax_number = company.fax_number;
  if (optional.includes('custom_fields')) view.custom_fields = company.custom_fields;
  return view;
}

function blankCompany(id: number, name: string, now: number, reason: string | null | undefined) {
  const company: CompanyRecord = {
    id,
    company_name: name,
    email_address: null,
    email_opted_in: Boolean(reason),
    email_status: reason ? 'SingleOptIn' : 'NonMarketable',
    phone_number: null,
    fax_number: null,
    address: null,
    website: null,
    notes: null,
    custom_fields: [],
    date_created: now,
    last_updated: now,
  };
  return company;
}
