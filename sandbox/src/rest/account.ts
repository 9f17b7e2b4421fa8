/**
 * Small account-level endpoints: `GET|PUT /account/profile`, `GET /oauth/connect/userinfo`,
 * `GET /merchants`, the two settings and the locale lists.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { TENANT } from '../data/dataset.js';
import { notFound } from '../errors.js';
import { parseBody } from './body.js';

const PROVINCES: Record<string, Record<string, string>> = {
  USA: { 'US-AZ': 'Arizona', 'US-CO': 'Colorado', 'US-TX': 'Texas', 'US-OR': 'Oregon' },
  CAN: { 'CA-BC': 'British Columbia', 'CA-ON': 'Ontario', 'CA-QC': 'Quebec' },
};

const profileBody = z.record(z.string(), z.unknown());

export function registerAccount(app: FastifyInstance, context: SandboxContext): void {
  app.get('/account/profile', async () => context.data.accountProfile ?? defaultProfile());

  app.put('/account/profile', async (request) => {
    const profile = { ...defaultProfile(), ...parseBody(profileBody, request) };
    context.data.accountProfile = profile;
    return profile;
  });

  app.get('/oauth/connect/userinfo', async () => {
    const user = context.data.users.get(1);
    return {
      email: user?.email_address ?? null,
      family_name: user?.family_name ?? null,
      given_name: user?.given_name ?? null,
      global_user_id: user?.global_user_id ?? null,
      infusionsoft_id: TENANT,
      middle_name: null,
      preferred_name: null,
      sub: String(user?.global_user_id ?? ''),
    };
  });

  app.get('/merchants', async () => ({
    default_merchant_account: 1,
    merchant_accounts: [
      { id: 1, account_name: 'Keap Payments', type: 'KeapPayments', is_test: false },
      { id: 2, account_name: 'Test Merchant', type: 'Test', is_test: true },
    ],
  }));

  app.get('/setting/application/enabled', async () => ({ value: 'yes' }));
  app.get('/setting/contact/optionTypes', async () => ({ value: 'Lead,Customer,Other' }));

  app.get('/locales/countries', async () => ({
    countries: { USA: 'United States', CAN: 'Canada', GBR: 'United Kingdom' },
  }));

  app.get<{ Params: { code: string } }>('/locales/countries/:code/provinces', async (request) => {
    const provinces = PROVINCES[request.params.code.toUpperCase()];
    if (!provinces) throw notFound('Country');
    return { provinces };
  });
}

function defaultProfile(): Record<string, unknown> {
  return {
    address: {
      country_code: 'USA',
      field: 'BILLING',
      line1: '100 Main St',
      line2: null,
      locality: 'Phoenix',
      postal_code: '85004',
      region: 'Arizona',
      zip_code: '85004',
      zip_four: null,
    },
    business_goals: [],
    business_primary_color: null,
    business_secondary_color: null,
    business_type: 'Coaching',
    currency_code: 'USD',
    email: 'owner@ab123.example',
    language_tag: 'en-US',
    logo_url: null,
    name: 'AB123 Demo Co.',
    phone: '(555) 010-0100',
    phone_ext: null,
    time_zone: 'America/Phoenix',
    website: null,
  };
}
