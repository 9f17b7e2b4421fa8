/**
 * Tags and tag categories — `GET /tags` (`category`, `name`), `POST /tags`, `GET /tags/{id}`,
 * `POST /tags/categories`, `GET /tags/{id}/companies`. Which contacts carry a tag is served by
 * contact-tags.ts. v1 tags carry no dates.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { TagRecord } from '../data/models.js';
import { badRequest } from '../errors.js';
import { findRecord, parseBody, reference } from './body.js';
import { listEnvelope } from './paging.js';
import { queryInt, queryText, type RawQuery } from './query.js';

const tagBody = z.object({
  name: z.string().min(1),
  description: z.string().nullable().default(null),
  category: reference.nullable().optional(),
});

const categoryBody = z.object({
  name: z.string().min(1),
  description: z.string().nullable().default(null),
});

export function registerTags(app: FastifyInstance, context: SandboxContext): void {
  app.get('/tags', async (request) => {
    const query = request.query as RawQuery;
    const category = queryInt(query, 'category');
    const name = queryText(query, 'name')?.toLowerCase();
    const matching = context.data.tags
      .all()
      .filter(
        (tag) =>
          (category === undefined || tag.category_id === category) &&
          (name === undefined || tag.name.toLowerCase() === name),
      );
    return listEnvelope(request, 'tags', matching, (tag) => tagView(context, tag));
  });

  app.post('/tags', async (request, reply) => {
    const body = parseBody(tagBody, request);
    const categoryId = body.category?.id ?? null;
    if (categoryId !== null && !context.data.tagCategories.get(categoryId)) {
      throw badRequest(`Tag category ${categoryId} does not exist`);
    }
    const tag = context.data.tags.insert((id) => ({
      id,
      name: body.name,
      description: body.description,
      category_id: categoryId,
    }));
    return reply.code(201).send(tagView(context, tag));
  });

  app.get<{ Params: { id: string } }>('/tags/:id', async (request) =>
    tagView(context, findRecord(context.data.tags, request.params.id, 'Tag')),
  );

  app.post('/tags/categories', async (request, reply) => {
    const body = parseBody(categoryBody, request);
    const category = context.data.tagCategories.insert((id) => ({ id, ...body }));
    return reply.code(201).send({ ...category });
  });

  // Companies are never tagged in the seed data; the endpoint exists so clients can page it.
  app.get<{ Params: { id: string } }>('/tags/:id/companies', async (request) => {
    findRecord(context.data.tags, request.params.id, 'Tag');
    return listEnvelope(request, 'companies', [], () => null);
  });
}

export function tagView(context: SandboxContext, tag: TagRecord) {
  const categoryId = tag.category_id;
  const category = categoryId === null ? undefined : context.data.tagCategories.get(categoryId);
  return {
    id: tag.id,
    name: tag.name,
    description: tag.description,
    category: category ? { ...category } : null,
  };
}
