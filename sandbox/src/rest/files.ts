/**
 * Files — list (`name` with `*` wildcards, `contact_id`, `viewable`, `type`), upload, read
 * (`optional_properties=file_data` for the content), replace (`PUT`) and delete. Responses
 * wrap the descriptor: `{"file_descriptor": {...}, "file_data": ...}`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { FileRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryChoice, queryInt, queryList, queryText, type RawQuery } from './query.js';

const uploadBody = z.object({
  file_name: z.string().min(1),
  file_data: z.base64(),
  contact_id: z.int().positive().nullable().default(null),
  is_public: z.boolean().default(false),
  file_association: z.enum(['CONTACT', 'USER', 'COMPANY']),
});
type UploadBody = z.output<typeof uploadBody>;

export function registerFiles(app: FastifyInstance, context: SandboxContext): void {
  app.get('/files', async (request) => {
    const query = request.query as RawQuery;
    const contactId = queryInt(query, 'contact_id');
    const name = namePattern(queryText(query, 'name'));
    const type = queryText(query, 'type')?.toLowerCase();
    const viewable = queryChoice(query, 'viewable', ['PUBLIC', 'PRIVATE', 'BOTH'] as const);
    queryChoice(query, 'permission', ['USER', 'COMPANY', 'BOTH'] as const);

    const matching = context.data.files.all().filter(
      (row) =>
        (contactId === undefined || row.contact_id === contactId) &&
        (name === undefined || name.test(row.file_name)) &&
        (type === undefined || row.file_box_type.toLowerCase() === type) &&
        (viewable === undefined || viewable === 'BOTH' || row.public === (viewable === 'PUBLIC')),
    );
    return listEnvelope(request, 'files', matching, descriptor);
  });

  app.post('/files', async (request, reply) => {
    const body = checked(context, parseBody(uploadBody, request));
    const now = context.clock.now();
    const row = context.data.files.insert((id) => ({
      id,
      file_name: body.file_name,
      file_box_type: boxType(body),
      category: 'Documents',
      contact_id: body.contact_id,
      created_by: 1,
      public: body.is_public,
      remote_file_key: null,
      file_data: body.file_data,
      date_created: now,
      last_updated: now,
    }));
    return reply.code(201).send({ file_descriptor: descriptor(row), file_data: row.file_data });
  });

  app.get<{ Params: { id: string } }>('/files/:id', async (request) => {
    const row = findRecord(context.data.files, request.params.id, 'File');
    const optional = queryList(request.query as RawQuery, 'optional_properties');
    const withData = optional.includes('file_data');
    return { file_descriptor: descriptor(row), file_data: withData ? row.file_data : null };
  });

  app.put<{ Params: { id: string } }>('/files/:id', async (request) => {
    const row = findRecord(context.data.files, request.params.id, 'File');
    const body = checked(context, parseBody(uploadBody, request));
    const updated: FileRecord = {
      ...row,
      file_name: body.file_name,
      file_data: body.file_data,
      contact_id: body.contact_id,
      public: body.is_public,
      file_box_type: boxType(body),
      last_updated: context.clock.now(),
    };
    context.data.files.put(updated);
    return { file_descriptor: descriptor(updated), file_data: updated.file_data };
  });

  app.delete<{ Params: { id: string } }>('/files/:id', async (request, reply) => {
    const row = findRecord(context.data.files, request.params.id, 'File');
    context.data.files.delete(row.id);
    return reply.code(204).send();
  });
}

function checked(context: SandboxContext, body: UploadBody): UploadBody {
  if (body.file_association === 'CONTACT' && body.contact_id === null) {
    throw badRequest('contact_id is required when file_association is CONTACT');
  }
  if (body.contact_id !== null && !context.data.contacts.get(body.contact_id)) {
    throw badRequest(`Contact ${body.contact_id} does not exist`);
  }
  return body;
}

function boxType(body: UploadBody): string {
  return body.file_association === 'CONTACT' ? 'Contact' : 'Application';
}

/** `*` matches any run of characters; everything else is literal. */
function namePattern(name: string | undefined): RegExp | undefined {
  if (name === undefined) return undefined;
  const escaped = name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 'i');
}

export function descriptor(row: FileRecord) {
  return {
    id: row.id,
    file_name: row.file_name,
    file_size: Buffer.from(row.file_data, 'base64').length,
    file_box_type: row.file_box_type,
    category: row.category,
    contact_id: row.contact_id,
    created_by: row.created_by,
    public: row.public,
    download_url: `https://ab123.infusionsoft.com/Download?Id=${row.id}`,
    remote_file_key: row.remote_file_key,
    date_created: formatV1Date(row.date_created),
    last_updated: formatV1Date(row.last_updated),
  };
}
