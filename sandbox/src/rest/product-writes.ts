/**
 * Product writes (`POST /products`, `PATCH /products/{id}`, `DELETE /products/{id}`), plan
 * management under `/products/{id}/subscriptions`, and the change feed `GET /products/sync`.
 *
 * v1 products have no modification date (keap.md §9.11); the feed is how a client catches up:
 * every write bumps the catalogue revision, and a `sync_token` names the revision a client has
 * seen, so the feed can answer with what changed after it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import type { ProductChange } from '../data/models-crm.js';
import type { ProductRecord } from '../data/models.js';
import { badRequest, notFound } from '../errors.js';
import { applyDefined, findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { productListItem, productView, planView, syncToken } from './products.js';
import { pathId, queryText, type RawQuery } from './query.js';

const productBody = z.object({
  product_name: z.string().min(1).optional(),
  product_price: z.number().min(0).optional(),
  product_desc: z.string().nullable().optional(),
  product_short_desc: z.string().nullable().optional(),
  sku: z.string().nullable().optional(),
  active: z.boolean().optional(),
  subscription_only: z.boolean().optional(),
});

const planBody = z.object({
  cycle_type: z.enum(['YEAR', 'MONTH', 'WEEK', 'DAY']),
  frequency: z.int().positive().default(1),
  number_of_cycles: z.int().min(0).default(0),
  plan_price: z.number().min(0),
  subscription_plan_index: z.int().min(0).default(0),
  active: z.boolean().default(true),
});

export function registerProductWrites(app: FastifyInstance, context: SandboxContext): void {
  app.post('/products', async (request, reply) => {
    const body = parseBody(productBody.required({ product_name: true }), request);
    const now = context.clock.now();
    const product = context.data.products.insert((id) =>
      applyDefined(blankProduct(id, body.product_name, now), body),
    );
    record(context, 'CREATED', product);
    context.changes.publish({ noun: 'product', verb: 'add', id: product.id, at: now });
    return reply.code(201).send(productView(product));
  });

  app.patch<{ Params: { id: string } }>('/products/:id', async (request) => {
    const product = findRecord(context.data.products, request.params.id, 'Product');
    const updated = applyDefined({ ...product }, parseBody(productBody, request));
    updated.last_updated = context.clock.now();
    context.data.products.put(updated);
    record(context, 'UPDATED', updated);
    context.changes.publish({ noun: 'product', verb: 'edit', id: updated.id, at: updated.last_updated });
    return productView(updated);
  });

  app.delete<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const product = findRecord(context.data.products, request.params.id, 'Product');
    context.data.products.delete(product.id);
    record(context, 'DELETED', product);
    context.changes.publish({ noun: 'product', verb: 'delete', id: product.id, at: context.clock.now() });
    return reply.code(204).send();
  });

  app.get('/products/sync', async (request) => {
    const token = queryText(request.query as RawQuery, 'sync_token');
    const changes = token === undefined ? initialFeed(context) : changesSince(context, token);
    return listEnvelope(
      request,
      'product_statuses',
      changes,
      (change) => ({ product: productListItem(change.product), status: change.status }),
      { sync_token: syncToken(context.data.productRevision) },
    );
  });

  app.post<{ Params: { id: string } }>('/products/:id/subscriptions', async (request, reply) => {
    const product = findRecord(context.data.products, request.params.id, 'Product');
    const body = parseBody(planBody, request);
    const ids = context.data.products.all().flatMap((p) => p.subscription_plans.map((s) => s.id));
    const plan = {
      id: Math.max(0, ...ids) + 1,
      subscription_plan_name: product.product_name,
      url: null,
      ...body,
    };
    product.subscription_plans = [...product.subscription_plans, plan];
    record(context, 'UPDATED', product);
    return reply.code(201).send(planView(plan));
  });

  app.get<{ Params: { id: string; planId: string } }>(
    '/products/:id/subscriptions/:planId',
    async (request) => {
      const product = findRecord(context.data.products, request.params.id, 'Product');
      const planId = pathId(request.params.planId, 'subscription');
      const plan = product.subscription_plans.find((candidate) => candidate.id === planId);
      if (!plan) throw notFound('Subscription');
      return planView(plan);
    },
  );

  app.delete<{ Params: { id: string; planId: string } }>(
    '/products/:id/subscriptions/:planId',
    async (request, reply) => {
      const product = findRecord(context.data.products, request.params.id, 'Product');
      const planId = pathId(request.params.planId, 'subscription');
      const remaining = product.subscription_plans.filter((plan) => plan.id !== planId);
      if (remaining.length === product.subscription_plans.length) throw notFound('Subscription');
      product.subscription_plans = remaining;
      record(context, 'UPDATED', product);
      return reply.code(204).send();
    },
  );
}

function record(context: SandboxContext, status: ProductChange['status'], product: ProductRecord) {
  context.data.productRevision += 1;
  context.data.productChanges.push({
    revision: context.data.productRevision,
    status,
    product: structuredClone(product),
  });
}

/** Without a token the feed starts from scratch: every current product, as created. */
function initialFeed(context: SandboxContext): ProductChange[] {
  return context.data.products
    .all()
    .map((product) => ({ revision: context.data.productRevision, status: 'CREATED', product }));
}

/** The latest change per product after the token's revision. */
function changesSince(context: SandboxContext, token: string): ProductChange[] {
  const match = /^products:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match?.[1]) throw badRequest(`Invalid sync_token '${token}'`);
  const seen = Number(match[1]);

  const latest = new Map<number, ProductChange>();
  for (const change of context.data.productChanges) {
    if (change.revision > seen) latest.set(change.product.id, change);
  }
  return [...latest.values()].sort((a, b) => a.product.id - b.product.id);
}

function blankProduct(id: number, name: string, now: number): ProductRecord {
  return {
    id,
    product_name: name,
    product_desc: null,
    product_short_desc: null,
    product_price: 0,
    sku: null,
    url: null,
    active: true,
    sub_category_id: 0,
    subscription_only: false,
    shippable: false,
    taxable: false,
    subscription_plans: [],
    date_created: now,
    last_updated: now,
  };
}
