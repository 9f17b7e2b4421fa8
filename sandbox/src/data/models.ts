/**
 * Stored records. Field names follow Keap REST v1 (snake_case) so projections stay thin; every
 * date is epoch milliseconds here and is formatted only on the way out. `null` marks a value
 * Keap sends as an explicit JSON null.
 */

export type EmailStatus =
  | 'UnengagedMarketable'
  | 'SingleOptIn'
  | 'DoubleOptin'
  | 'Confirmed'
  | 'UnengagedNonMarketable'
  | 'NonMarketable'
  | 'Lockdown'
  | 'Bounce'
  | 'HardBounce'
  | 'Manual'
  | 'Admin'
  | 'System'
  | 'ListUnsubscribe'
  | 'Feedback'
  | 'Spam'
  | 'Invalid';

export interface EmailAddress {
  email: string;
  field: 'EMAIL1' | 'EMAIL2' | 'EMAIL3';
}

export interface PhoneNumber {
  number: string;
  extension: string | null;
  type: string;
  field: string;
}

export interface FaxNumber {
  number: string;
  type: string;
  field: string;
}

export interface ContactAddress {
  field: 'BILLING' | 'SHIPPING' | 'OTHER';
  line1: string;
  line2: string | null;
  locality: string;
  region: string;
  postal_code: string;
  zip_code: string;
  zip_four: string | null;
  country_code: string;
}

export interface CustomFieldValue {
  id: number;
  content: unknown;
}

export interface AppliedTag {
  tag_id: number;
  date_applied: number;
}

export interface ContactRecord {
  id: number;
  given_name: string | null;
  middle_name: string | null;
  family_name: string | null;
  prefix: string | null;
  suffix: string | null;
  preferred_name: string | null;
  job_title: string | null;
  email_addresses: EmailAddress[];
  phone_numbers: PhoneNumber[];
  fax_numbers: FaxNumber[];
  addresses: ContactAddress[];
  company_id: number | null;
  owner_id: number | null;
  lead_source_id: number | null;
  contact_type: string | null;
  email_opted_in: boolean;
  email_status: EmailStatus;
  opt_in_reason: string | null;
  origin: { date: number; ip_address: string } | null;
  source_type: string;
  tags: AppliedTag[];
  custom_fields: CustomFieldValue[];
  birthday: number | null;
  anniversary: number | null;
  spouse_name: string | null;
  time_zone: string | null;
  preferred_locale: string | null;
  website: string | null;
  /** Sent as `ScoreValue` (PascalCase, a string) in contact lists. */
  score_value: string | null;
  date_created: number;
  last_updated: number;
}

export interface CompanyRecord {
  id: number;
  company_name: string;
  email_address: string | null;
  email_opted_in: boolean;
  email_status: EmailStatus;
  phone_number: { number: string; extension: string | null; type: string } | null;
  fax_number: { number: string; type: string } | null;
  address: Omit<ContactAddress, 'field' | 'postal_code'> | null;
  website: string | null;
  notes: string | null;
  custom_fields: CustomFieldValue[];
  date_created: number;
  last_updated: number;
}

export interface UserRecord {
  id: number;
  given_name: string;
  family_name: string;
  email_address: string;
  status: 'Active' | 'Invited' | 'Inactive';
  admin: boolean;
  partner: boolean;
  global_user_id: number;
  time_zone: string;
  date_created: number;
  last_updated: number;
}

export interface TagCategoryRecord {
  id: number;
  name: string;
  description: string | null;
}

export interface TagRecord {
  id: number;
  name: string;
  description: string | null;
  category_id: number | null;
}

export type CycleType = 'YEAR' | 'MONTH' | 'WEEK' | 'DAY';

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
  shippable: boolean;
  taxable: boolean;
  subscription_plans: SubscriptionPlanRecord[];
  date_created: number;
  last_updated: number;
}

/** The contact as copied onto an order when it was placed. */
export interface OrderContact {
  id: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  job_title: string | null;
}

export interface OrderItemRecord {
  id: number;
  name: string;
  description: string | null;
  notes: string | null;
  type: 'Product' | 'Shipping' | 'Tax' | 'Service' | 'Upsell' | 'Unknown';
  quantity: number;
  price: number;
  cost: number;
  discount: number;
  product: {
    id: number;
    name: string;
    description: string | null;
    sku: string | null;
    shippable: boolean;
    taxable: boolean;
  } | null;
}

export interface ShippingInformation {
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  company: string | null;
  phone: string | null;
  line1: string;
  line2: string | null;
  locality: string;
  region: string;
  zip_code: string;
  zip_four: string | null;
  country_code: string;
}

export interface PaymentPlan {
  auto_charge: boolean;
  credit_card_id: number;
  days_between_payments: number;
  number_of_payments: number;
  initial_payment_amount: number;
  /** `yyyy-MM-dd`, as Keap sends LocalDate values. */
  initial_payment_date: string;
  plan_start_date: string;
  payment_gateway: { merchant_account_id: number; use_default: boolean };
}

export interface OrderRecord {
  id: number;
  title: string;
  status: 'PAID' | 'UNPAID';
  recurring: boolean;
  total: number;
  total_paid: number;
  total_due: number;
  refund_total: number;
  allow_payment: boolean;
  order_type: 'Online' | 'Offline';
  order_date: number;
  creation_date: number;
  modification_date: number;
  notes: string | null;
  terms: string | null;
  lead_affiliate_id: number | null;
  sales_affiliate_id: number | null;
  contact: OrderContact;
  order_items: OrderItemRecord[];
  shipping_information: ShippingInformation | null;
  payment_plan: PaymentPlan | null;
}

export interface TransactionRecord {
  id: number;
  amount: number;
  currency: string;
  status: 'Approved' | 'Declined' | 'Error';
  type: 'Sale' | 'Refund';
  collection_method: 'Online' | 'Manual';
  gateway: string;
  gateway_account_name: string;
  test: boolean;
  contact_id: number;
  order_ids: number[];
  errors: string | null;
  transaction_date: number;
}
