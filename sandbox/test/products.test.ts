import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchWithToken, type Envelope } from './support.js';

type Sandbox = Awaited<ReturnType<typeof launchWithToken>>;

interface ListedProduct {
  id: number;
  product_name: string;
  status: number;
  subscription_only: boolean;
  subscription_plans: { id: number; cycle: number }[];
}
type Products = Envelope & { products: ListedProduct[]; sync_token: string };

describe('GET /crm/rest/v1/products', () => {
  let sandbox: Sandbox;
  let list: Products;
  beforeAll(async () => {
    sandbox = await launchWithToken();
    list = await sandbox.get<Products>('/products');
  });
  afterAll(() => sandbox.close());

  it('lists 30 products with a sync_token in the envelope', () => {
    expect(list.count).toBe(30);
    expect(list.products).toHaveLength(30);
    expect(typeof list.sync_token).toBe('string');
    expect(list.sync_token.length).toBeGreaterThan(0);
  });

  it('uses the list shape: numeric status and plan cycle, no active flag', () => {
    const item = list.products[0];
    expect(item).toHaveProperty('status');
    expect(item).not.toHaveProperty('active');
    const subscription = list.products.find((product) => product.subscription_only);
    expect(subscription?.subscription_plans[0]?.cycle).toBeTypeOf('number');
  });

  it('has inactive and subscription-only products', () => {
    expect(list.products.some((product) => product.status === 0)).toBe(true);
    expect(list.products.some((product) => product.subscription_only)).toBe(true);
  });

  it('filters on active', async () => {
    const inactive = await sandbox.get<Products>('/products?active=false');
    const active = await sandbox.get<Products>('/products?active=true');
    expect(inactive.count).toBeGreaterThan(0);
    expect(inactive.products.every((product) => product.status === 0)).toBe(true);
    expect(active.count + inactive.count).toBe(30);
  });

  it('returns the single-product shape by id', async () => {
    const subscription = list.products.find((product) => product.subscription_only);
    const product = await sandbox.get<Record<string, unknown>>(`/products/${subscription?.id}`);
    expect(product).toHaveProperty('active');
    expect(product).not.toHaveProperty('status');
    expect(product.subscription_plans).toEqual([
      expect.objectContaining({ cycle_type: expect.stringMatching(/^(MONTH|YEAR)$/) }),
    ]);
  });

  it('answers 404 with Keap’s message for an unknown id', async () => {
    const response = await api(sandbox.url, sandbox.token, '/products/4242');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unable to find this Product' });
  });
});
