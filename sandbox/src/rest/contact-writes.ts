/**
 * Contact writes: `POST /contacts`, `PUT /contacts` (upsert), `PATCH /contacts/{id}` (with
 * `update_mask`) and `DELETE /contacts/{id}`. Keap refuses a contact with neither an email
 * address nor a phone number (keap.md §3.3); the server sets `date_created`/`last_updated`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { ContactRecord } from '../data/models.js';
import { badRequest, notFound } from '../errors.js';
import {
  applyDefined,
  type Changes,
  customFieldValues,
  dateTime,
  findRecord,
  parseBody,
  reference,
} from './body.js';
import { fullContact } from './contact-views.js';
import { queryList, type RawQuery } from './query.js';

const text = z.string().nullable().optional();

const contactBody = z.object({
  given_name: text,
  middle_name: text,
  family_name: text,
  prefix: text,
  suffix: text,
  preferred_name: text,
  job_title: text,
  email_addresses: z
    .array(z.object({ email: z.email(), field: z.enum(['EMAIL1', 'EMAIL2', 'EMAIL3']).optional() }))
    .optional(),
  phone_numbers: z
    .array(
      z.object({
        number: z.string().min(1),
        extension: text,
        type: z.string().optional(),
        field: z.enum(['PHONE1', 'PHONE2', 'PHONE3', 'PHONE4', 'PHONE5']).optional(),
      }),
    )
    .optional(),
  addresses: z
    .array(
      z.object({
        field: z.enum(['BILLING', 'SHIPPING', 'OTHER']),
        line1: z.string().default(''),
        line2: z.string().nullable().default(null),
        locality: z.string().default(''),
        region: z.string().default(''),
        postal_code: z.string().default(''),
        zip_code: z.string().default(''),
        zip_four: z.string().nullable().default(null),
        country_code: z.string().default('USA'),
      }),
    )
    .optional(),
  company: reference.nullable().optional(),
  owner_id: z.int().nullable().optional(),
  lead_source_id: z.int().nullable().optional(),
  contact_type: text,
  opt_in_reason: text,
  source_type: z.enum(['WEBFORM', 'LANDINGPAGE', 'IMPORT', 'MANUAL', 'API', 'OTHER', 'UNKNOWN'])
    .optional(),
  origin: z.object({ ip_address: z.string() }).nullable().optional(),
  custom_fields: customFieldValues.optional(),
  birthday: dateTime.nullable().optional(),
  anniversary: dateTime.nullable().optional(),
  spouse_name: text,
  time_zone: text,
  preferred_locale: text,
  website: text,
});
type ContactBody = z.output<typeof contactBody>;

const upsertBody = contactBody.extend({
  duplicate_option: z.enum(['Email', 'EmailAndName']).default('Email'),
});

export function registerContactWrites(app: FastifyInstance, context: SandboxContext): void {
  app.post('/contacts', async (request, reply) => {
    const contact = createContact(context, parseBody(contactBody, request));
    return reply.code(201).send(fullContact(context.data, contact, []));
  });

  app.put('/contacts', async (request, reply) => {
    const { duplicate_option: option, ...body } = parseBody(upsertBody, request);
    const existing = findDuplicate(context, body, option);
    if (!existing) {
      return reply.code(201).send(fullContact(context.data, createContact(context, body), []));
    }
    return fullContact(context.data, updateContact(context, existing, body), []);
  });

  app.patch<{ Params: { id: string } }>('/contacts/:id', async (request) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    const mask = queryList(request.query as RawQuery, 'update_mask');
    const body = parseBody(contactBody, request);
    return fullContact(context.data, updateContact(context, contact, masked(body, mask)), []);
  });

  app.delete<{ Params: { id: string } }>('/contacts/:id', async (request, reply) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    context.data.contacts.delete(contact.id);
    context.changes.publish({ noun: 'contact', verb: 'delete', id: contact.id, at: context.clock.now() });
    return reply.code(204).send();
  });
}

function createContact(context: SandboxContext, body: ContactBody): ContactRecord {
  const now = context.clock.now();
  const draft = applyDefined(blankContact(now), changesFrom(context, body, now));
  requireReachable(draft);
  const contact = context.data.contacts.insert((id) => ({ ...draft, id }));
  context.changes.publish({ noun: 'contact', verb: 'add', id: contact.id, at: now });
  return contact;
}

function updateContact(context: SandboxContext, contact: ContactRecord, body: ContactBody) {
  const now = context.clock.now();
  const updated = applyDefined({ ...contact }, changesFrom(context, body, now));
  requireReachable(updated);
  updated.last_updated = now;
  const saved = context.data.contacts.put(updated);
  context.changes.publish({ noun: 'contact', verb: 'edit', id: saved.id, at: now });
  return saved;
}

/** Keap's one hard rule for contacts. */
function requireReachable(contact: ContactRecord): void {
  if (contact.email_addresses.length === 0 && contact.phone_numbers.length === 0) {
    throw badRequest('Contact must contain an e-mail address or phone number');
  }
}

/** Only the properties named in `update_mask`, when one is given. */
function masked(body: ContactBody, mask: readonly string[]): ContactBody {
  if (mask.length === 0) return body;
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => mask.includes(key)),
  ) as ContactBody;
}

/** The contact a `PUT /contacts` updates instead of creating one, per `duplicate_option`. */
function findDuplicate(
  context: SandboxContext,
  body: ContactBody,
  option: 'Email' | 'EmailAndName',
) {
  const email = body.email_addresses?.[0]?.email.toLowerCase();
  if (email === undefined) return undefined;
  return context.data.contacts.all().find((contact) => {
    const sameEmail = contact.email_addresses.some((entry) => entry.email.toLowerCase() === email);
    if (!sameEmail || option === 'Email') return sameEmail;
    return (
      (contact.given_name ?? '') === (body.given_name ?? '') &&
      (contact.family_name ?? '') === (body.family_name ?? '')
    );
  });
}

/** The stored-record changes a body asks for; absent properties stay undefined. */
function changesFrom(context: SandboxContext, body: ContactBody, now: number) {
  const { company, origin, email_addresses, phone_numbers, addresses, ...plain } = body;
  if (company && !context.data.companies.get(company.id)) throw notFound('Company');

  const changes: Changes<ContactRecord> = { ...plain };
  if (company !== undefined) changes.company_id = company?.id ?? null;
  if (origin !== undefined) {
    changes.origin = origin ? { date: now, ip_address: origin.ip_address } : null;
  }
  if (email_addresses) {
    changes.email_addresses = email_addresses.map((entry, index) => ({
      email: entry.email,
      field: entry.field ?? (`EMAIL${index + 1}` as 'EMAIL1'),
    }));
  }
  if (phone_numbers) {
    changes.phone_numbers = phone_numbers.map((entry, index) => ({
      number: entry.number,
      extension: entry.extension ?? null,
      type: entry.type ?? 'Work',
      field: entry.field ?? `PHONE${index + 1}`,
    }));
  }
  if (addresses) changes.addresses = addresses;
  if (body.opt_in_reason) {
    changes.email_opted_in = true;
    changes.email_status = 'SingleOptIn';
  }
  return changes;
}

function blankContact(now: number): ContactRecord {
  return {
    id: 0,
    given_name: null,
    middle_name: null,
    family_name: null,
    prefix: null,
    suffix: null,
    preferred_name: null,
    job_title: null,
    email_addresses: [],
    phone_numbers: [],
    fax_numbers: [],
    addresses: [],
    company_id: null,
    owner_id: null,
    lead_source_id: null,
    contact_type: null,
    email_opted_in: false,
    email_status: 'NonMarketable',
    opt_in_reason: null,
    origin: null,
    source_type: 'API',
    tags: [],
    custom_fields: [],
    birthday: null,
    anniversary: null,
    spouse_name: null,
    time_zone: null,
    preferred_locale: null,
    website: null,
    score_value: '0',
    date_created: now,
    last_updated: now,
  };
}
