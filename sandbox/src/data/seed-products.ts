/**
 * Thirty products: 24 one-off products (8 stems × 3 variants, a few inactive) and 6
 * subscription-only products with monthly or yearly plans.
 */
import type { CycleType, ProductRecord, SubscriptionPlanRecord } from './models.js';
import { PRODUCT_STEMS, PRODUCT_VARIANTS, SUBSCRIPTION_STEMS } from './names.js';
import { createRandom, type Random } from './random.js';
import { daysBefore, pastTime, timeBetween, type SeedInput } from './seed-support.js';

const VARIANT_FACTOR = { Basic: 1, Plus: 1.6, Pro: 2.5 } as const;

export function seedProducts(input: SeedInput): ProductRecord[] {
  const random = createRandom(input.seed, 'products');
  const rows: ProductRecord[] = [];
  const nextId = () => rows.length + 1;
  let planId = 1;

  for (const [stem, description, basePrice, shippable] of PRODUCT_STEMS.slice(0, 8)) {
    for (const variant of PRODUCT_VARIANTS) {
      const price = Math.round(basePrice * VARIANT_FACTOR[variant]) - 0.01;
      const row = product(random, input, nextId(), `${stem} ${variant}`, description, price);
      row.shippable = shippable;
      // Every seventh product is retired, so `active=false` filters have something to find.
      row.active = row.id % 7 !== 4;
      rows.push(row);
    }
  }

  for (const [stem, description, basePrice] of SUBSCRIPTION_STEMS) {
    for (const cycle of ['MONTH', 'YEAR'] as const) {
      const price = cycle === 'MONTH' ? basePrice : basePrice * 10;
      const label = cycle === 'MONTH' ? 'Monthly' : 'Annual';
      const row = product(random, input, nextId(), `${stem} ${label}`, description, price);
      row.subscription_only = true;
      row.taxable = false;
      row.subscription_plans = [plan(planId, row, cycle, price)];
      row.active = row.id !== 30;
      planId += 1;
      rows.push(row);
    }
  }
  return rows;
}

function product(
  random: Random,
  input: SeedInput,
  id: number,
  name: string,
  shortDescription: string,
  price: number,
): ProductRecord {
  const dateCreated = pastTime(random, daysBefore(input.anchor, 100), 300);
  const sku = random.chance(0.85)
    ? `${name.replace(/[^A-Z]/g, '')}-${String(id).padStart(3, '0')}`
    : null;
  return {
    id,
    product_name: name,
    product_desc: random.chance(0.7) ? `<p>${shortDescription}.</p>` : null,
    product_short_desc: shortDescription,
    product_price: price,
    sku,
    url: null,
    active: true,
    sub_category_id: 0,
    subscription_only: false,
    shippable: false,
    taxable: true,
    subscription_plans: [],
    date_created: dateCreated,
    last_updated: timeBetween(random, dateCreated, input.anchor),
  };
}

function plan(
  id: number,
  product: ProductRecord,
  cycle: CycleType,
  price: number,
): SubscriptionPlanRecord {
  return {
    id,
    subscription_plan_name: product.product_name,
    subscription_plan_index: 0,
    cycle_type: cycle,
    frequency: 1,
    number_of_cycles: 0,
    plan_price: price,
    active: true,
    url: null,
  };
}
