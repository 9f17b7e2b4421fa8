/**
 * Products — `GET /products` and `GET /products/{id}` (keap.md §3.3).
 *
 * Keap returns two shapes (2019 spec): list items carry `status` (1 active, 0 inactive) and
 * plans with a numeric `cycle`; a single product carries `active` and plans with `cycle_type`.
 * The list envelope also carries `sync_token`, the starting point for `/products/sync`.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import type { CycleType, ProductRecord, SubscriptionPlanRecord } from '../data/models.js';
import { notFound } from '../errors.js';
import { listEnvelope } from './paging.js';
import { pathId, queryBoolean, type RawQuery } from './query.js';

/** Infusionsoft's legacy numeric billing cycles. */
const CYCLE_NUMBERS: Record<CycleType, number> = { YEAR: 1, MONTH: 2, WEEK: 3, DAY: 6 };

export function registerProducts(app: FastifyInstance, context: SandboxContext): void {
  app.get('/products', async (request) => {
    const query = request.query as RawQuery;
    const active = queryBoolean(query, 'active');

    const matching = context.data.products
      .all()
      .filter((product) => active === undefined || product.active === active);
    return listEnvelope(request, 'products', matching, productListItem, {
      sync_token: syncToken(context.data.productRevision),
    });
  });

  app.get<{ Params: { id: string } }>('/products/:id', async (request) => {
    const product = context.data.products.get(pathId(request.params.id, 'product'));
    if (!product) throw notFound('Product');
    return productView(product);
  });
}

/** An opaque token standing for the catalogue's current revision. */
export function syncToken(revision: number): string {
  return Buffer.from(`products:${revision}`).toString('base64url');
}

export function productListItem(product: ProductRecord) {
  return {
    id: product.id,
    product_name: product.product_name,
    product_desc: product.product_desc,
    product_short_desc: product.product_short_desc,
    product_price: product.product_price,
    sku: product.sku,
    url: product.url,
    status: product.active ? 1 : 0,
    sub_category_id: product.sub_category_id,
    subscription_only: product.subscription_only,
    product_options: [],
    subscription_plans: product.subscription_plans.map((plan) => ({
      id: plan.id,
      subscription_plan_name: plan.subscription_plan_name,
      subscription_plan_index: plan.subscription_plan_index,
      cycle: CYCLE_NUMBERS[plan.cycle_type],
      frequency: plan.frequency,
      number_of_cycles: plan.number_of_cycles,
      plan_price: plan.plan_price,
      active: plan.active,
      url: plan.url,
    })),
  };
}

export function productView(product: ProductRecord) {
  return {
    id: product.id,
    product_name: product.product_name,
    product_desc: product.product_desc,
    product_short_desc: product.product_short_desc,
    product_price: product.product_price,
    sku: product.sku,
    url: product.url,
    active: product.active,
    subscription_only: product.subscription_only,
    subscription_plans: product.subscription_plans.map(planView),
  };
}

export function planView(plan: SubscriptionPlanRecord) {
  return { ...plan };
}
