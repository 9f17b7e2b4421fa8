/** Stand-in record shapes of the sandbox's tenant data (see `dates.ts`). */

export type CycleType = 'YEAR' | 'MONTH' | 'WEEK' | 'DAY';

export interface CompanyRecord {
  id: number;
  company_name: string;
}

export interface ContactRecord {
  id: number;
  given_name: string | null;
  family_name: string | null;
  middle_name: string | null;
  preferred_name: string | null;
  prefix: string | null;
  suffix: string | null;
  job_title: string | null;
  lead_source_id: number | null;
  company_id: number | null;
  owner_id: number | null;
  contact_type: string | null;
  source_type: string | null;
  origin: { date: number; ip_address: string } | null;
  opt_in_reason: string | null;
  email_opted_in: boolean;
  email_status: string;
  score_value: string;
  date_created: number;
  last_updated: number;
  birthday: number | null;
  anniversary: number | null;
  spouse_name: string | null;
  time_zone: string | null;
  preferred_locale: string | null;
  website: string | null;
  tags: { tag_id: number }[];
  custom_fields: { id: number; content: unknown }[];
  email_addresses: { email: string; field: string }[];
  addresses: Record<string, unknown>[];
  phone_numbers: { number: string; field: string }[];
  fax_numbers: { number: string; field: string }[];
}

export interface SubscriptionPlanRecord {
  id: number;
  subscription_plan_name: string;
  subscription_plan_index: number;
  cycle_type: CycleType;
  frequency: number;
  number_of_cycles: number;
  plan_price: number;
  active: boolean;
  url: string | null;
}

export interface ProductRecord {
  id: number;
  product_name: string;
  product_desc: string | null;
  product_short_desc: string | null;
  product_price: number;
  sku: string | null;
  url: string | null;
  active: boolean;
  sub_category_id: number;
  subscription_only: boolean;
  subscription_plans: SubscriptionPlanRecord[];
}

export interface OrderItemRecord {
  id: number;
  name: string;
  description: string | null;
  type: string;
  notes: string | null;
  quantity: number;
  cost: number | null;
  price: number;
  discount: number | null;
  product: { id: number; name: string; sku: string | null } | null;
}

export interface OrderRecord {
  id: number;
  title: string;
  status: string;
  recurring: boolean;
  total: number;
  total_paid: number;
  total_due: number;
  refund_total: number;
  allow_payment: boolean;
  order_date: number;
  creation_date: number;
  modification_date: number;
  notes: string | null;
  terms: string | null;
  lead_affiliate_id: number | null;
  sales_affiliate_id: number | null;
  contact: { id: number; email: string; first_name: string | null; last_name: string | null };
  order_items: OrderItemRecord[];
  shipping_information: Record<string, unknown> | null;
  payment_plan: Record<string, unknown> | null;
}

export interface TransactionRecord {
  id: number;
  type: 'Sale' | 'Refund';
  status: 'Approved' | 'Declined';
  amount: number;
  order_ids: number[];
  transaction_date: number;
}
