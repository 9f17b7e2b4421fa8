/**
 * Tags on one contact: `GET|POST|DELETE /contacts/{id}/tags` and
 * `DELETE /contacts/{id}/tags/{tagId}`, plus the reverse view from a tag,
 * `GET|POST|DELETE /tags/{id}/contacts`. Note the casing Keap uses for the two bodies:
 * `{"tagIds": [...]}` here, `{"ids": [...]}` on the tag side (keap.md §9.14).
 * Applying or removing a tag counts as a change to the contact (`last_updated`).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { ContactRecord, TagRecord } from '../data/models.js';
import { formatV1Date } from '../data/dates.js';
import { findRecord, idsParam, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { pathId, queryText, type RawQuery } from './query.js';

type Result = 'SUCCESS' | 'DUPLICATE' | 'CONTACT_NOT_FOUND' | 'TAG_ID_NOT_FOUND';

export function registerContactTags(app: FastifyInstance, context: SandboxContext): void {
  app.get<{ Params: { id: string } }>('/contacts/:id/tags', async (request) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    return listEnvelope(request, 'tags', contact.tags, (applied) => ({
      tag: simpleTag(context, context.data.tags.get(applied.tag_id)),
      date_applied: formatV1Date(applied.date_applied),
    }));
  });

  app.post<{ Params: { id: string } }>('/contacts/:id/tags', async (request) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    const { tagIds } = parseBody(z.object({ tagIds: z.array(z.int()).min(1) }), request);
    return Object.fromEntries(tagIds.map((tagId) => [tagId, apply(context, contact, tagId)]));
  });

  app.delete<{ Params: { id: string } }>('/contacts/:id/tags', async (request, reply) => {
    const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
    const ids = idsParam(queryText(request.query as RawQuery, 'ids'));
    for (const tagId of ids) remove(context, contact, tagId);
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string; tagId: string } }>(
    '/contacts/:id/tags/:tagId',
    async (request, reply) => {
      const contact = findRecord(context.data.contacts, request.params.id, 'Contact');
      remove(context, contact, pathId(request.params.tagId, 'tag'));
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>('/tags/:id/contacts', async (request) => {
    const tag = findRecord(context.data.tags, request.params.id, 'Tag');
    const tagged = context.data.contacts.all().flatMap((contact) => {
      const applied = contact.tags.find((entry) => entry.tag_id === tag.id);
      return applied ? [{ contact, applied }] : [];
    });
    return listEnvelope(request, 'contacts', tagged, ({ contact, applied }) => ({
      contact: {
        id: contact.id,
        email: contact.email_addresses[0]?.email ?? null,
        first_name: contact.given_name,
        last_name: contact.family_name,
      },
      date_applied: formatV1Date(applied.date_applied),
    }));
  });

  app.post<{ Params: { id: string } }>('/tags/:id/contacts', async (request) => {
    const tag = findRecord(context.data.tags, request.params.id, 'Tag');
    const { ids } = parseBody(z.object({ ids: z.array(z.int()).min(1) }), request);
    return Object.fromEntries(
      ids.map((contactId): [number, Result] => {
        const contact = context.data.contacts.get(contactId);
        return [contactId, contact ? apply(context, contact, tag.id) : 'CONTACT_NOT_FOUND'];
      }),
    );
  });

  app.delete<{ Params: { id: string } }>('/tags/:id/contacts', async (request, reply) => {
    const tag = findRecord(context.data.tags, request.params.id, 'Tag');
    for (const contactId of idsParam(queryText(request.query as RawQuery, 'ids'))) {
      const contact = context.data.contacts.get(contactId);
      if (contact) remove(context, contact, tag.id);
    }
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string; contactId: string } }>(
    '/tags/:id/contacts/:contactId',
    async (request, reply) => {
      const tag = findRecord(context.data.tags, request.params.id, 'Tag');
      const contact = findRecord(context.data.contacts, request.params.contactId, 'Contact');
      remove(context, contact, tag.id);
      return reply.code(204).send();
    },
  );
}

function apply(context: SandboxContext, contact: ContactRecord, tagId: number): Result {
  if (!context.data.tags.get(tagId)) return 'TAG_ID_NOT_FOUND';
  if (contact.tags.some((entry) => entry.tag_id === tagId)) return 'DUPLICATE';

  const now = context.clock.now();
  contact.tags = [...contact.tags, { tag_id: tagId, date_applied: now }];
  contact.last_updated = now;
  return 'SUCCESS';
}

function remove(context: SandboxContext, contact: ContactRecord, tagId: number): void {
  const remaining = contact.tags.filter((entry) => entry.tag_id !== tagId);
  if (remaining.length === contact.tags.length) return;
  contact.tags = remaining;
  contact.last_updated = context.clock.now();
}

/** The `{id, name, category}` tag reference, with the category by name as v1 sends it. */
function simpleTag(context: SandboxContext, tag: TagRecord | undefined) {
  if (!tag) return null;
  const categoryId = tag.category_id;
  const category = categoryId === null ? undefined : context.data.tagCategories.get(categoryId);
  return { id: tag.id, name: tag.name, category: category?.name ?? null };
}
