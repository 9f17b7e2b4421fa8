/**
 * Tasks — `GET /tasks` and `GET /tasks/search` (same filters), create, read, `PUT`, `PATCH`
 * and delete. `since`/`until` match `modification_date`, which every write moves.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date, formatV1DateOrNull } from '../data/dates.js';
import type { TaskRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { applyDefined, type Changes, dateTime, findRecord, parseBody, reference } from './body.js';
import { listEnvelope } from './paging.js';
import { queryBoolean, queryChoice, queryDate, queryInt, type RawQuery } from './query.js';
import { sortRows, withinWindow, type SortKey } from './sorting.js';

const taskBody = z.object({
  title: z.string().min(1).optional(),
  description: z.string().nullable().optional(),
  type: z.string().optional(),
  priority: z.int().nullable().optional(),
  completed: z.boolean().optional(),
  completion_date: dateTime.nullable().optional(),
  due_date: dateTime.nullable().optional(),
  remind_time: z.int().nullable().optional(),
  url: z.string().nullable().optional(),
  user_id: z.int().nullable().optional(),
  contact: reference.nullable().optional(),
});
type TaskBody = z.output<typeof taskBody>;

const ORDER_KEYS = {
  id: (row: TaskRecord): SortKey => row.id,
  due_date: (row: TaskRecord): SortKey => row.due_date,
  creation_date: (row: TaskRecord): SortKey => row.creation_date,
  modification_date: (row: TaskRecord): SortKey => row.modification_date,
} as const;
const ORDER_FIELDS = Object.keys(ORDER_KEYS) as (keyof typeof ORDER_KEYS)[];

export function registerTasks(app: FastifyInstance, context: SandboxContext): void {
  const list = async (request: FastifyRequest) => {
    const query = request.query as RawQuery;
    const matching = context.data.tasks.all().filter(readFilter(query));
    const order = queryChoice(query, 'order', ORDER_FIELDS) ?? 'id';
    const sorted = sortRows(matching, ORDER_KEYS[order]);
    // v1 task lists carry a sync_token field; there is no task change feed to feed it.
    const extra = { sync_token: null };
    return listEnvelope(request, 'tasks', sorted, (row) => taskView(context, row), extra);
  };
  app.get('/tasks', list);
  app.get('/tasks/search', list);

  app.post('/tasks', async (request, reply) => {
    const body = parseBody(taskBody, request);
    if (!body.title) throw badRequest('title is required');
    const now = context.clock.now();
    const draft = applyDefined(blank(now), changesFrom(context, body, now));
    const row = context.data.tasks.insert((id) => ({ ...draft, id }));
    return reply.code(201).send(taskView(context, row));
  });

  app.get<{ Params: { id: string } }>('/tasks/:id', async (request) =>
    taskView(context, findRecord(context.data.tasks, request.params.id, 'Task')),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method]<{ Params: { id: string } }>('/tasks/:id', async (request) => {
      const row = findRecord(context.data.tasks, request.params.id, 'Task');
      const body = parseBody(taskBody, request);
      if (method === 'put' && !body.title) throw badRequest('title is required');
      const now = context.clock.now();
      const base = method === 'put' ? { ...blank(row.creation_date), id: row.id } : { ...row };
      const updated = applyDefined(base, changesFrom(context, body, now));
      updated.modification_date = now;
      context.data.tasks.put(updated);
      return taskView(context, updated);
    });
  }

  app.delete<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
    const row = findRecord(context.data.tasks, request.params.id, 'Task');
    context.data.tasks.delete(row.id);
    return reply.code(204).send();
  });
}

function readFilter(query: RawQuery): (row: TaskRecord) => boolean {
  const contactId = queryInt(query, 'contact_id');
  const userId = queryInt(query, 'user_id');
  const hasDueDate = queryBoolean(query, 'has_due_date');
  const completed = queryBoolean(query, 'completed');
  const since = queryDate(query, 'since');
  const until = queryDate(query, 'until');
  return (row) =>
    withinWindow(row.modification_date, since, until) &&
    (contactId === undefined || row.contact_id === contactId) &&
    (userId === undefined || row.user_id === userId) &&
    (hasDueDate === undefined || (row.due_date !== null) === hasDueDate) &&
    (completed === undefined || row.completed === completed);
}

function changesFrom(context: SandboxContext, body: TaskBody, now: number): Changes<TaskRecord> {
  const { contact, ...plain } = body;
  if (contact && !context.data.contacts.get(contact.id)) {
    throw badRequest(`Contact ${contact.id} does not exist`);
  }
  const changes: Changes<TaskRecord> = { ...plain };
  if (contact !== undefined) changes.contact_id = contact?.id ?? null;
  // Completing a task without a date stamps it now, as the Keap UI does.
  if (body.completed === true && body.completion_date === undefined) changes.completion_date = now;
  if (body.completed === false) changes.completion_date = null;
  return changes;
}

export function taskView(context: SandboxContext, row: TaskRecord) {
  const contact = row.contact_id === null ? undefined : context.data.contacts.get(row.contact_id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    type: row.type,
    priority: row.priority,
    completed: row.completed,
    completion_date: formatV1DateOrNull(row.completion_date),
    creation_date: formatV1Date(row.creation_date),
    modification_date: formatV1Date(row.modification_date),
    due_date: formatV1DateOrNull(row.due_date),
    remind_time: row.remind_time,
    url: row.url,
    user_id: row.user_id,
    contact: contact
      ? {
          id: contact.id,
          first_name: contact.given_name,
          last_name: contact.family_name,
          email: contact.email_addresses[0]?.email ?? null,
        }
      : null,
  };
}

function blank(now: number): TaskRecord {
  return {
    id: 0,
    title: '',
    description: null,
    type: 'Other',
    priority: null,
    completed: false,
    completion_date: null,
    due_date: null,
    remind_time: null,
    url: null,
    user_id: null,
    contact_id: null,
    creation_date: now,
    modification_date: now,
  };
}
