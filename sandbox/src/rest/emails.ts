/**
 * Email records — `GET|POST /emails`, `GET|PUT|DELETE /emails/{id}`, `POST /emails/sync` and
 * `/emails/unsync` (batches), `POST /emails/queue` (send), and per contact
 * `GET|POST /contacts/{id}/emails`. Lists omit the content; single reads include it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1DateOrNull } from '../data/dates.js';
import type { EmailRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { dateTime, findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryDate, queryInt, queryText, type RawQuery } from './query.js';
import { withinWindow } from './sorting.js';

const optionalText = z.string().nullable().default(null);
const optionalDate = dateTime.nullable().default(null);

const emailBody = z.object({
  contact_id: z.int().positive(),
  subject: z.string().default(''),
  headers: optionalText,
  sent_from_address: z.string().default(''),
  sent_from_reply_address: optionalText,
  sent_to_address: z.string().default(''),
  sent_to_cc_addresses: optionalText,
  sent_to_bcc_addresses: optionalText,
  sent_date: dateTime.optional(),
  received_date: optionalDate,
  opened_date: optionalDate,
  clicked_date: optionalDate,
  original_provider: z.enum(['UNKNOWN', 'INFUSIONSOFT', 'MICROSOFT', 'GOOGLE']).default('UNKNOWN'),
  original_provider_id: optionalText,
  provider_source_id: optionalText,
  html_content: optionalText,
  plain_content: optionalText,
});
type EmailBody = z.output<typeof emailBody>;

const queueBody = z.object({
  contacts: z.array(z.int()).min(1),
  user_id: z.int(),
  subject: z.string().min(1),
  html_content: z.string().optional(),
  plain_content: z.string().optional(),
  address_field: z.string().optional(),
});

export function registerEmails(app: FastifyInstance, context: SandboxContext): void {
  app.get('/emails', async (request) => {
    const query = request.query as RawQuery;
    const contactId = queryInt(query, 'contact_id');
    const address = queryText(query, 'email')?.toLowerCase();
    const since = queryDate(query, 'since_sent_date');
    const until = queryDate(query, 'until_sent_date');
    const matching = context.data.emails.all().filter(
      (row) =>
        withinWindow(row.sent_date, since, until) &&
        (contactId === undefined || row.contact_id === contactId) &&
        (address === undefined || row.sent_to_address.toLowerCase() === address),
    );
    return listEnvelope(request, 'emails', matching, (row) => emailView(row, false));
  });

  app.post('/emails', async (request, reply) => {
    const row = createEmail(context, parseBody(emailBody, request));
    return reply.code(201).send(emailView(row, true));
  });

  app.post('/emails/sync', async (request, reply) => {
    const batch = z.object({ emails: z.array(emailBody).min(1).max(1000) });
    const { emails } = parseBody(batch, request);
    const created = emails.map((body) => emailView(createEmail(context, body), true));
    return reply.code(201).send({ emails: created, errors: [] });
  });

  app.post('/emails/unsync', async (request, reply) => {
    const { ids } = parseBody(z.object({ ids: z.array(z.int()).min(1) }), request);
    for (const id of ids) context.data.emails.delete(id);
    return reply.code(204).send();
  });

  app.post('/emails/queue', async (request, reply) => {
    const body = parseBody(queueBody, request);
    for (const contactId of body.contacts) {
      const contact = context.data.contacts.get(contactId);
      const to = contact?.email_addresses[0]?.email;
      if (!to) throw badRequest(`Contact ${contactId} has no email address`);
      const sent = emailBody.parse({
        contact_id: contactId,
        subject: body.subject,
        sent_from_address: 'news@ab123.example',
        sent_to_address: to,
        original_provider: 'INFUSIONSOFT',
        html_content: body.html_content ?? null,
        plain_content: body.plain_content ?? null,
      });
      createEmail(context, sent);
    }
    return reply.code(202).send();
  });

  app.get<{ Params: { id: string } }>('/emails/:id', async (request) =>
    emailView(findRecord(context.data.emails, request.params.id, 'Email'), true),
  );

  app.put<{ Params: { id: string } }>('/emails/:id', async (request) => {
    const row = findRecord(context.data.emails, request.params.id, 'Email');
    const body = checked(context, parseBody(emailBody, request));
    const updated = { ...row, ...body, sent_date: body.sent_date ?? row.sent_date };
    context.data.emails.put(updated);
    return emailView(updated, true);
  });

  app.delete<{ Params: { id: string } }>('/emails/:id', async (request, reply) => {
    const row = findRecord(context.data.emails, request.params.id, 'Email');
    context.data.emails.delete(row.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/contacts/:id/emails', async (request) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    const query = request.query as RawQuery;
    const address = queryText(query, 'email')?.toLowerCase();
    const matching = context.data.emails
      .all()
      .filter(
        (row) =>
          row.contact_id === contact.id &&
          (address === undefined || row.sent_to_address.toLowerCase() === address),
      );
    return listEnvelope(request, 'emails', matching, (row) => emailView(row, false));
  });

  app.post<{ Params: { id: string } }>('/contacts/:id/emails', async (request, reply) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    const body = parseBody(emailBody.partial({ contact_id: true }), request);
    const row = createEmail(context, { ...body, contact_id: contact.id });
    return reply.code(201).send(emailView(row, true));
  });
}

function checked(context: SandboxContext, body: EmailBody): EmailBody {
  if (!context.data.contacts.get(body.contact_id)) {
    throw badRequest(`Contact ${body.contact_id} does not exist`);
  }
  return body;
}

function createEmail(context: SandboxContext, body: EmailBody): EmailRecord {
  const { sent_date: sent, ...fields } = checked(context, body);
  return context.data.emails.insert((id) => ({
    ...fields,
    id,
    sent_date: sent ?? context.clock.now(),
  }));
}

export function emailView(row: EmailRecord, withContent: boolean) {
  const { html_content: html, plain_content: plain, ...fields } = row;
  const view: Record<string, unknown> = {
    ...fields,
    sent_date: formatV1DateOrNull(row.sent_date),
    received_date: formatV1DateOrNull(row.received_date),
    opened_date: formatV1DateOrNull(row.opened_date),
    clicked_date: formatV1DateOrNull(row.clicked_date),
  };
  if (withContent) Object.assign(view, { html_content: html, plain_content: plain });
  return view;
}
