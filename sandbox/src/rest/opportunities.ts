/**
 * Opportunities and the sales pipeline: list, create, read, `PUT` (id in the body), `PATCH`,
 * and `GET /opportunity/stage_pipeline` (singular, as in v1). The v1 list has no `since`
 * filter; `date_created`/`last_updated` are still maintained on every write.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date, formatV1DateOrNull } from '../data/dates.js';
import type { OpportunityRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import {
  applyDefined,
  type Changes,
  customFieldValues,
  dateTime,
  findRecord,
  parseBody,
  reference,
} from './body.js';
import { listEnvelope } from './paging.js';
import { queryChoice, queryInt, queryList, queryText, type RawQuery } from './query.js';
import { sortRows, type SortKey } from './sorting.js';

const opportunityBody = z.object({
  opportunity_title: z.string().min(1).optional(),
  contact: reference.optional(),
  stage: reference.optional(),
  user: reference.nullable().optional(),
  estimated_close_date: dateTime.nullable().optional(),
  next_action_date: dateTime.nullable().optional(),
  next_action_notes: z.string().optional(),
  opportunity_notes: z.string().optional(),
  include_in_forecast: z.int().min(0).max(1).optional(),
  projected_revenue_low: z.number().optional(),
  projected_revenue_high: z.number().optional(),
  affiliate_id: z.int().optional(),
  custom_fields: customFieldValues.optional(),
});
type OpportunityBody = z.output<typeof opportunityBody>;

export function registerOpportunities(app: FastifyInstance, context: SandboxContext): void {
  const keys = sortKeys(context);
  const orderFields = Object.keys(keys) as (keyof typeof keys)[];

  app.get('/opportunities', async (request) => {
    const query = request.query as RawQuery;
    const userId = queryInt(query, 'user_id');
    const stageId = queryInt(query, 'stage_id');
    const term = queryText(query, 'search_term')?.toLowerCase();
    const order = queryChoice(query, 'order', orderFields) ?? 'date_created';
    const optional = queryList(query, 'optional_properties');

    const matching = context.data.opportunities.all().filter(
      (row) =>
        (userId === undefined || row.user_id === userId) &&
        (stageId === undefined || row.stage_id === stageId) &&
        (term === undefined || row.opportunity_title.toLowerCase().includes(term)),
    );
    return listEnvelope(request, 'opportunities', sortRows(matching, keys[order]), (row) =>
      opportunityView(context, row, optional),
    );
  });

  app.post('/opportunities', async (request, reply) => {
    const body = parseBody(opportunityBody, request);
    if (!body.opportunity_title || !body.contact || !body.stage) {
      throw badRequest('opportunity_title, contact and stage are required');
    }
    const now = context.clock.now();
    const draft = applyDefined(blank(now), changesFrom(context, body));
    const row = context.data.opportunities.insert((id) => ({ ...draft, id }));
    return reply.code(201).send(opportunityView(context, row, ['custom_fields']));
  });

  app.put('/opportunities', async (request) => {
    const body = parseBody(opportunityBody.extend({ id: z.int().positive() }), request);
    const row = findRecord(context.data.opportunities, String(body.id), 'Opportunity');
    return update(context, row, body);
  });

  app.get<{ Params: { id: string } }>('/opportunities/:id', async (request) => {
    const row = findRecord(context.data.opportunities, request.params.id, 'Opportunity');
    const optional = queryList(request.query as RawQuery, 'optional_properties');
    return opportunityView(context, row, optional);
  });

  app.patch<{ Params: { id: string } }>('/opportunities/:id', async (request) => {
    const row = findRecord(context.data.opportunities, request.params.id, 'Opportunity');
    return update(context, row, parseBody(opportunityBody, request));
  });

  app.get('/opportunity/stage_pipeline', async () =>
    context.data.stages.all().map((stage) => ({
      stage_id: stage.id,
      stage_name: stage.name,
      stage_order: stage.stage_order,
      end_stage: stage.end_stage,
      is_default: stage.stage_order === 10,
      stage_count: context.data.opportunities.all().filter((row) => row.stage_id === stage.id)
        .length,
    })),
  );
}

function update(context: SandboxContext, row: OpportunityRecord, body: OpportunityBody) {
  const updated = applyDefined({ ...row }, changesFrom(context, body));
  updated.last_updated = context.clock.now();
  context.data.opportunities.put(updated);
  return opportunityView(context, updated, ['custom_fields']);
}

function changesFrom(context: SandboxContext, body: OpportunityBody): Changes<OpportunityRecord> {
  const { contact, stage, user, ...plain } = body;
  if (contact && !context.data.contacts.get(contact.id)) {
    throw badRequest(`Contact ${contact.id} does not exist`);
  }
  if (stage && !context.data.stages.get(stage.id)) {
    throw badRequest(`Stage ${stage.id} does not exist`);
  }
  return {
    ...plain,
    contact_id: contact?.id,
    stage_id: stage?.id,
    user_id: user === undefined ? undefined : (user?.id ?? null),
  };
}

function sortKeys(context: SandboxContext) {
  const contactName = (row: OpportunityRecord): SortKey => {
    const contact = context.data.contacts.get(row.contact_id);
    return `${contact?.family_name ?? ''} ${contact?.given_name ?? ''}`.toLowerCase();
  };
  return {
    next_action: (row: OpportunityRecord): SortKey => row.next_action_date,
    opportunity_name: (row: OpportunityRecord): SortKey => row.opportunity_title.toLowerCase(),
    contact_name: contactName,
    date_created: (row: OpportunityRecord): SortKey => row.date_created,
  };
}

export function opportunityView(
  context: SandboxContext,
  row: OpportunityRecord,
  optional: readonly string[],
) {
  const contact = context.data.contacts.get(row.contact_id);
  const stage = context.data.stages.get(row.stage_id);
  const user = row.user_id === null ? undefined : context.data.users.get(row.user_id);
  const view: Record<string, unknown> = {
    id: row.id,
    opportunity_title: row.opportunity_title,
    next_action_date: formatV1DateOrNull(row.next_action_date),
    next_action_notes: row.next_action_notes,
    opportunity_notes: row.opportunity_notes,
    estimated_close_date: formatV1DateOrNull(row.estimated_close_date),
    include_in_forecast: row.include_in_forecast,
    projected_revenue_low: row.projected_revenue_low,
    projected_revenue_high: row.projected_revenue_high,
    contact: contact ? {
      id: contact.id,
      email: contact.email_addresses[0]?.email ?? '',
      first_name: contact.given_name,
      last_name: contact.family_name,
      company_name: '',
      job_title: contact.job_title,
      phone_number: contact.phone_numbers[0]?.number ?? '',
    } : null,
    stage: stage ? {
      id: stage.id,
      name: stage.name,
      details: {
        probability: stage.probability,
        stage_order: stage.stage_order,
        target_num_days: stage.target_num_days,
        check_list_items: [],
      },
      reasons: [...stage.reasons],
    } : null,
    user: user ? { id: user.id, first_name: user.given_name, last_name: user.family_name } : null,
    date_created: formatV1Date(row.date_created),
    last_updated: formatV1Date(row.last_updated),
    affiliate_id: row.affiliate_id,
  };
  if (optional.includes('custom_fields')) view.custom_fields = row.custom_fields;
  return view;
}

function blank(now: number): OpportunityRecord {
  return {
    id: 0,
    opportunity_title: '',
    contact_id: 0,
    stage_id: 0,
    user_id: null,
    estimated_close_date: null,
    next_action_date: null,
    next_action_notes: '',
    opportunity_notes: '',
    include_in_forecast: 0,
    projected_revenue_low: 0,
    projected_revenue_high: 0,
    affiliate_id: 0,
    custom_fields: [],
    date_created: now,
    last_updated: now,
  };
}
