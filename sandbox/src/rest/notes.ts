/**
 * Notes — list (`contact_id`, `user_id`), create, read, `PUT`, `PATCH`, delete. The v1 list has
 * no `since` filter; `date_created`/`last_updated` still move on every write.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { NoteRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { applyDefined, findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryInt, type RawQuery } from './query.js';

const noteBody = z.object({
  title: z.string().optional(),
  body: z.string().nullable().optional(),
  type: z.enum(['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other']).nullable().optional(),
  contact_id: z.int().positive().optional(),
  user_id: z.int().nullable().optional(),
});
type NoteBody = z.output<typeof noteBody>;

export function registerNotes(app: FastifyInstance, context: SandboxContext): void {
  app.get('/notes', async (request) => {
    const query = request.query as RawQuery;
    const contactId = queryInt(query, 'contact_id');
    const userId = queryInt(query, 'user_id');
    const matching = context.data.notes
      .all()
      .filter(
        (row) =>
          (contactId === undefined || row.contact_id === contactId) &&
          (userId === undefined || row.user_id === userId),
      );
    return listEnvelope(request, 'notes', matching, (row) => noteView(context, row));
  });

  app.post('/notes', async (request, reply) => {
    const body = checked(context, parseBody(noteBody, request));
    if (body.contact_id === undefined) throw badRequest('contact_id is required');
    const now = context.clock.now();
    const changes = { ...body, last_updated_by: body.user_id };
    const draft = applyDefined(blank(body.contact_id, now), changes);
    const row = context.data.notes.insert((id) => ({ ...draft, id }));
    return reply.code(201).send(noteView(context, row));
  });

  app.get<{ Params: { id: string } }>('/notes/:id', async (request) =>
    noteView(context, findRecord(context.data.notes, request.params.id, 'Note')),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method]<{ Params: { id: string } }>('/notes/:id', async (request) => {
      const row = findRecord(context.data.notes, request.params.id, 'Note');
      const body = checked(context, parseBody(noteBody, request));
      const updated = applyDefined({ ...row }, { ...body, last_updated_by: body.user_id });
      updated.last_updated = context.clock.now();
      context.data.notes.put(updated);
      return noteView(context, updated);
    });
  }

  app.delete<{ Params: { id: string } }>('/notes/:id', async (request, reply) => {
    const row = findRecord(context.data.notes, request.params.id, 'Note');
    context.data.notes.delete(row.id);
    return reply.code(204).send();
  });
}

function checked(context: SandboxContext, body: NoteBody): NoteBody {
  if (body.contact_id !== undefined && !context.data.contacts.get(body.contact_id)) {
    throw badRequest(`Contact ${body.contact_id} does not exist`);
  }
  return body;
}

export function noteView(context: SandboxContext, row: NoteRecord) {
  const editorId = row.last_updated_by;
  const editor = editorId === null ? undefined : context.data.users.get(editorId);
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    type: row.type,
    contact_id: row.contact_id,
    user_id: row.user_id,
    last_updated_by: editor
      ? { user_id: editor.id, given_name: editor.given_name, family_name: editor.family_name }
      : null,
    date_created: formatV1Date(row.date_created),
    last_updated: formatV1Date(row.last_updated),
  };
}

function blank(contactId: number, now: number): NoteRecord {
  return {
    id: 0,
    title: '',
    body: null,
    type: null,
    contact_id: contactId,
    user_id: null,
    last_updated_by: null,
    date_created: now,
    last_updated: now,
  };
}
