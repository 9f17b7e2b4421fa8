/**
 * Campaigns — list, read (`optional_properties=goals,sequences`), and adding or removing
 * contacts on a sequence. API goals (`POST /campaigns/goals/...`) report no matching goal.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date, formatV1DateOrNull } from '../data/dates.js';
import type { CampaignRecord } from '../data/models-crm.js';
import { notFound } from '../errors.js';
import { findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { pathId, queryChoice, queryList, queryText, type RawQuery } from './query.js';
import { sortRows, type SortKey } from './sorting.js';

const ORDER_KEYS = {
  id: (row: CampaignRecord): SortKey => row.id,
  name: (row: CampaignRecord): SortKey => row.name.toLowerCase(),
  date_created: (row: CampaignRecord): SortKey => row.date_created,
  published_date: (row: CampaignRecord): SortKey => row.published_date,
  active_contact_count: (row: CampaignRecord): SortKey => row.active_contact_count,
  completed_contact_count: (row: CampaignRecord): SortKey => row.completed_contact_count,
} as const;
const ORDER_FIELDS = Object.keys(ORDER_KEYS) as (keyof typeof ORDER_KEYS)[];

interface SequenceParams {
  Params: { id: string; sequenceId: string; contactId?: string };
}

export function registerCampaigns(app: FastifyInstance, context: SandboxContext): void {
  app.get('/campaigns', async (request) => {
    const query = request.query as RawQuery;
    const search = queryText(query, 'search_text')?.toLowerCase();
    const order = queryChoice(query, 'order', ORDER_FIELDS) ?? 'id';
    const direction = queryChoice(query, 'order_direction', ['ascending', 'descending'] as const);
    const matching = context.data.campaigns
      .all()
      .filter((row) => search === undefined || row.name.toLowerCase().includes(search));
    const sorted = sortRows(matching, ORDER_KEYS[order], direction);
    return listEnvelope(request, 'campaigns', sorted, (row) => campaignView(row, []));
  });

  app.get<{ Params: { id: string } }>('/campaigns/:id', async (request) => {
    const row = findRecord(context.data.campaigns, request.params.id, 'Campaign');
    return campaignView(row, queryList(request.query as RawQuery, 'optional_properties'));
  });

  const base = '/campaigns/:id/sequences/:sequenceId/contacts';
  for (const path of [base, `${base}/:contactId`]) {
    app.post<SequenceParams>(path, async (request, reply) => {
      changeMembers(context, request, true);
      return reply.code(204).send();
    });
    app.delete<SequenceParams>(path, async (request, reply) => {
      changeMembers(context, request, false);
      return reply.code(204).send();
    });
  }

  app.post('/campaigns/goals/:integration/:callName', async () => []);
}

/** Adds or removes contacts (one from the path, or `{"ids": [...]}`) on a sequence. */
function changeMembers(
  context: SandboxContext,
  request: FastifyRequest<SequenceParams>,
  add: boolean,
): void {
  const campaign = findRecord(context.data.campaigns, request.params.id, 'Campaign');
  const sequenceId = pathId(request.params.sequenceId, 'sequence');
  const sequence = campaign.sequences.find((candidate) => candidate.id === sequenceId);
  if (!sequence) throw notFound('Sequence');
  const ids =
    request.params.contactId === undefined
      ? parseBody(z.object({ ids: z.array(z.int()).min(1) }), request).ids
      : [pathId(request.params.contactId, 'contact')];

  const members = new Set(sequence.contact_ids);
  for (const id of ids) {
    if (add && context.data.contacts.get(id)) members.add(id);
    if (!add) members.delete(id);
  }
  sequence.contact_ids = [...members].sort((a, b) => a - b);
  campaign.active_contact_count = sequence.contact_ids.length;
}

export function campaignView(row: CampaignRecord, optional: readonly string[]) {
  const view: Record<string, unknown> = {
    id: row.id,
    name: row.name,
    locked: row.locked,
    published_status: row.published_status,
    published_date: formatV1DateOrNull(row.published_date),
    published_time_zone: row.published_time_zone,
    time_zone: row.time_zone,
    active_contact_count: row.active_contact_count,
    completed_contact_count: row.completed_contact_count,
    created_by_global_id: row.created_by_global_id,
    error_message: row.error_message,
    date_created: formatV1Date(row.date_created),
  };
  if (optional.includes('goals')) {
    view.goals = row.goals.map((goal) => ({
      ...goal,
      historical_contact_counts: { '24_hours': 0, '30_days': 0 },
      next_sequence_ids: row.sequences.map((sequence) => sequence.id),
      previous_sequence_ids: [],
    }));
  }
  if (optional.includes('sequences')) {
    view.sequences = row.sequences.map((sequence) => ({
      id: sequence.id,
      name: sequence.name,
      active_contact_count: sequence.contact_ids.length,
      active_contact_count_completed: 0,
      historical_contact_count: { '24_hours': 0, '30_days': 0 },
      paths: [],
    }));
  }
  return view;
}
