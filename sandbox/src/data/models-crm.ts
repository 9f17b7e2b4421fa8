/**
 * Stored records for the wider CRM (phase 2 resources). Same conventions as models.ts:
 * snake_case names, epoch-ms dates, explicit nulls.
 */
import type { CustomFieldValue, CycleType, ProductRecord } from './models.js';

export interface SubscriptionRecord {
  id: number;
  contact_id: number;
  product_id: number;
  subscription_plan_id: number;
  quantity: number;
  billing_amount: number;
  billing_cycle: CycleType;
  billing_frequency: number;
  active: boolean;
  auto_charge: boolean;
  credit_card_id: number | null;
  payment_gateway_id: number | null;
  use_default_payment_gateway: boolean;
  /** LocalDate fields, sent as `yyyy-MM-dd`. */
  start_date: number;
  next_bill_date: number | null;
  end_date: number | null;
}

export interface StageRecord {
  id: number;
  name: string;
  stage_order: number;
  probability: number;
  target_num_days: number;
  reasons: string[];
  end_stage: boolean;
}

export interface OpportunityRecord {
  id: number;
  opportunity_title: string;
  contact_id: number;
  stage_id: number;
  user_id: number | null;
  estimated_close_date: number | null;
  next_action_date: number | null;
  next_action_notes: string;
  opportunity_notes: string;
  include_in_forecast: number;
  projected_revenue_low: number;
  projected_revenue_high: number;
  affiliate_id: number;
  custom_fields: CustomFieldValue[];
  date_created: number;
  last_updated: number;
}

export interface TaskRecord {
  id: number;
  title: string;
  description: string | null;
  type: string;
  priority: number | null;
  completed: boolean;
  completion_date: number | null;
  due_date: number | null;
  remind_time: number | null;
  url: string | null;
  user_id: number | null;
  contact_id: number | null;
  creation_date: number;
  modification_date: number;
}

export type NoteType = 'Appointment' | 'Call' | 'Email' | 'Fax' | 'Letter' | 'Other';

export interface NoteRecord {
  id: number;
  title: string;
  body: string | null;
  type: NoteType | null;
  contact_id: number;
  user_id: number | null;
  last_updated_by: number | null;
  date_created: number;
  last_updated: number;
}

export interface AppointmentRecord {
  id: number;
  title: string;
  description: string | null;
  location: string | null;
  start_date: number;
  end_date: number;
  remind_time: number | null;
  contact_id: number | null;
  user: number | null;
}

export interface CampaignRecord {
  id: number;
  name: string;
  locked: boolean;
  published_status: boolean;
  published_date: number | null;
  published_time_zone: string;
  time_zone: string;
  active_contact_count: number;
  completed_contact_count: number;
  created_by_global_id: number;
  error_message: string | null;
  date_created: number;
  goals: { id: number; name: string; type: string }[];
  sequences: { id: number; name: string; contact_ids: number[] }[];
}

export interface EmailRecord {
  id: number;
  contact_id: number;
  subject: string;
  headers: string | null;
  sent_from_address: string;
  sent_from_reply_address: string | null;
  sent_to_address: string;
  sent_to_cc_addresses: string | null;
  sent_to_bcc_addresses: string | null;
  sent_date: number;
  received_date: number | null;
  opened_date: number | null;
  clicked_date: number | null;
  original_provider: 'UNKNOWN' | 'INFUSIONSOFT' | 'MICROSOFT' | 'GOOGLE';
  original_provider_id: string | null;
  provider_source_id: string | null;
  html_content: string | null;
  plain_content: string | null;
}

export interface FileRecord {
  id: number;
  file_name: string;
  file_box_type: string;
  category: string;
  contact_id: number | null;
  created_by: number;
  public: boolean;
  remote_file_key: string | null;
  /** Base64 content, returned only with `optional_properties=file_data`. */
  file_data: string;
  date_created: number;
  last_updated: number;
}

export interface CommissionRecord {
  id: number;
  amount_earned: number;
  contact_id: number;
  contact_first_name: string | null;
  contact_last_name: string | null;
  date_earned: number;
  description: string;
  invoice_id: number;
  product_name: string;
  sales_affiliate_id: number;
  sold_by_first_name: string;
  sold_by_last_name: string;
}

/** One entry of the product change feed behind `/products/sync`. */
export interface ProductChange {
  revision: number;
  status: 'CREATED' | 'UPDATED' | 'DELETED';
  product: ProductRecord;
}
