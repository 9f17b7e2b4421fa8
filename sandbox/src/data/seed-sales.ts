/** Subscriptions, the opportunity pipeline and affiliate commissions. */
import { DAY_MS } from './dates.js';
import type {
  CommissionRecord,
  OpportunityRecord,
  StageRecord,
  SubscriptionRecord,
} from './models-crm.js';
import type { ContactRecord, OrderRecord, ProductRecord, UserRecord } from './models.js';
import { createRandom } from './random.js';
import { numberByDate, pastTime, timeBetween, type SeedInput } from './seed-support.js';

export function seedSubscriptions(
  input: SeedInput,
  contacts: readonly ContactRecord[],
  products: readonly ProductRecord[],
): SubscriptionRecord[] {
  const random = createRandom(input.seed, 'subscriptions');
  const plans = products.flatMap((product) =>
    product.subscription_plans.map((plan) => ({ product, plan })),
  );

  const rows = Array.from({ length: 20 }, (): SubscriptionRecord => {
    const { product, plan } = random.pick(plans);
    const start = pastTime(random, input.anchor, 300);
    const active = random.chance(0.7);
    const cycleDays = plan.cycle_type === 'YEAR' ? 365 : 30;
    const periods = Math.floor((input.anchor - start) / (cycleDays * DAY_MS)) + 1;
    return {
      id: 0,
      contact_id: random.pick(contacts).id,
      product_id: product.id,
      subscription_plan_id: plan.id,
      quantity: 1,
      billing_amount: plan.plan_price,
      billing_cycle: plan.cycle_type,
      billing_frequency: plan.frequency,
      active,
      auto_charge: true,
      credit_card_id: random.int(1, 40),
      payment_gateway_id: null,
      use_default_payment_gateway: true,
      start_date: start,
      next_bill_date: active ? start + periods * cycleDays * DAY_MS : null,
      end_date: active ? null : timeBetween(random, start, input.anchor),
    };
  });
  return numberByDate(rows, (row) => row.start_date);
}

/** Four stages, ids from 18 as in a recorded Keap app. */
export function seedStages(): StageRecord[] {
  const stage = (offset: number, name: string, probability: number): StageRecord => ({
    id: 18 + offset,
    name,
    stage_order: (offset + 1) * 10,
    probability,
    target_num_days: 7 * (offset + 1),
    reasons: [],
    end_stage: offset === 3,
  });
  return [
    stage(0, 'New Opportunity', 10),
    stage(1, 'Qualified', 30),
    stage(2, 'Proposal Sent', 60),
    stage(3, 'Won', 100),
  ];
}

export function seedOpportunities(
  input: SeedInput,
  contacts: readonly ContactRecord[],
  stages: readonly StageRecord[],
): OpportunityRecord[] {
  const random = createRandom(input.seed, 'opportunities');
  const rows = Array.from({ length: 40 }, (_, index): OpportunityRecord => {
    const contact = random.pick(contacts);
    const created = pastTime(random, input.anchor, 90);
    const low = random.int(5, 50) * 100;
    return {
      id: 0,
      opportunity_title: `${contact.family_name ?? 'New'} deal ${index + 1}`,
      contact_id: contact.id,
      stage_id: random.pick(stages).id,
      user_id: random.chance(0.8) ? random.int(1, 2) : null,
      estimated_close_date: random.chance(0.6) ? created + random.int(7, 60) * DAY_MS : null,
      next_action_date: random.chance(0.4) ? created + random.int(1, 14) * DAY_MS : null,
      next_action_notes: random.chance(0.4) ? 'Follow up by phone' : '',
      opportunity_notes: '',
      include_in_forecast: random.chance(0.5) ? 1 : 0,
      projected_revenue_low: low,
      projected_revenue_high: low + random.int(0, 30) * 100,
      affiliate_id: 0,
      custom_fields: [{ id: 18, content: random.chance(0.5) ? 'purple' : null }],
      date_created: created,
      last_updated: random.chance(0.5) ? timeBetween(random, created, input.anchor) : created,
    };
  });
  return numberByDate(rows, (row) => row.date_created);
}

/** One commission per affiliated order item, earned when the order was placed. */
export function seedCommissions(
  orders: readonly OrderRecord[],
  users: readonly UserRecord[],
): CommissionRecord[] {
  const seller = users[0];
  const rows: CommissionRecord[] = [];
  for (const order of orders) {
    const affiliate = order.sales_affiliate_id ?? order.lead_affiliate_id;
    if (affiliate === null || order.total_paid <= 0) continue;
    for (const item of order.order_items) {
      rows.push({
        id: rows.length + 1,
        amount_earned: Math.round(item.price * item.quantity * 10) / 100,
        contact_id: order.contact.id,
        contact_first_name: order.contact.first_name,
        contact_last_name: order.contact.last_name,
        date_earned: order.creation_date,
        description: `Commission on ${item.name}`,
        invoice_id: order.id,
        product_name: item.name,
        sales_affiliate_id: affiliate,
        sold_by_first_name: seller?.given_name ?? '',
        sold_by_last_name: seller?.family_name ?? '',
      });
    }
  }
  return rows;
}
