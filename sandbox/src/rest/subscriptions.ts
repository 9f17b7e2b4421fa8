/**
 * Subscriptions — `GET /subscriptions` (`contact_id`) and `POST /subscriptions`. Dates are
 * LocalDate (`yyyy-MM-dd`), and v1 records carry no modification time (keap.md §9.11).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { DAY_MS, formatLocalDate } from '../data/dates.js';
import type { SubscriptionRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { localDate, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryInt, type RawQuery } from './query.js';

const subscriptionBody = z.object({
  contact_id: z.int().positive(),
  product_id: z.int().positive(),
  subscription_plan_id: z.int().positive(),
  quantity: z.int().positive().default(1),
  credit_card_id: z.int().nullable().default(null),
  payment_gateway_id: z.int().nullable().default(null),
  first_bill_date: localDate.optional(),
  allow_duplicate: z.boolean().optional(),
});

export function registerSubscriptions(app: FastifyInstance, context: SandboxContext): void {
  app.get('/subscriptions', async (request) => {
    const query = request.query as RawQuery;
    const contactId = queryInt(query, 'contact_id');
    const matching = context.data.subscriptions
      .all()
      .filter((row) => contactId === undefined || row.contact_id === contactId);
    return listEnvelope(request, 'subscriptions', matching, subscriptionView);
  });

  app.post('/subscriptions', async (request, reply) => {
    const body = parseBody(subscriptionBody, request);
    if (!context.data.contacts.get(body.contact_id)) {
      throw badRequest(`Contact ${body.contact_id} does not exist`);
    }
    const product = context.data.products.get(body.product_id);
    const plan = product?.subscription_plans.find((p) => p.id === body.subscription_plan_id);
    if (!product || !plan) {
      const planId = body.subscription_plan_id;
      throw badRequest(`Product ${body.product_id} has no subscription plan ${planId}`);
    }

    const start = body.first_bill_date ?? startOfDay(context.clock.now());
    const row = context.data.subscriptions.insert((id) => ({
      id,
      contact_id: body.contact_id,
      product_id: product.id,
      subscription_plan_id: plan.id,
      quantity: body.quantity,
      billing_amount: plan.plan_price * body.quantity,
      billing_cycle: plan.cycle_type,
      billing_frequency: plan.frequency,
      active: true,
      auto_charge: true,
      credit_card_id: body.credit_card_id,
      payment_gateway_id: body.payment_gateway_id,
      use_default_payment_gateway: body.payment_gateway_id === null,
      start_date: start,
      next_bill_date: start,
      end_date: null,
    }));
    return reply.code(201).send(subscriptionView(row));
  });
}

export function subscriptionView(row: SubscriptionRecord) {
  return {
    ...row,
    start_date: formatLocalDate(row.start_date),
    next_bill_date: row.next_bill_date === null ? null : formatLocalDate(row.next_bill_date),
    end_date: row.end_date === null ? null : formatLocalDate(row.end_date),
  };
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
