/**
 * How contacts look on the wire. The list shape follows recorded Keap responses, including
 * `ScoreValue` (PascalCase, a string) and `last_updated_utc_millis`; the single-contact shape
 * is the v1 FullContact. Some properties appear only when named in `optional_properties`.
 */
import type { Dataset } from '../data/dataset.js';
import { formatV1Date, formatV1DateOrNull } from '../data/dates.js';
import type { ContactRecord } from '../data/models.js';

/** Properties a caller may add with `optional_properties` (unknown names are ignored). */
const OPTIONAL: Record<string, (contact: ContactRecord) => unknown> = {
  job_title: (c) => c.job_title,
  lead_source_id: (c) => c.lead_source_id,
  custom_fields: (c) => c.custom_fields.map((field) => ({ ...field })),
  preferred_name: (c) => c.preferred_name,
  prefix: (c) => c.prefix,
  suffix: (c) => c.suffix,
  contact_type: (c) => c.contact_type,
  source_type: (c) => c.source_type,
  origin: ({ origin }) =>
    origin ? { date: formatV1Date(origin.date), ip_address: origin.ip_address } : null,
  opt_in_reason: (c) => c.opt_in_reason,
  fax_numbers: (c) => c.fax_numbers.map((fax) => ({ ...fax })),
  birthday: (c) => formatV1DateOrNull(c.birthday),
  anniversary: (c) => formatV1DateOrNull(c.anniversary),
  spouse_name: (c) => c.spouse_name,
  time_zone: (c) => c.time_zone,
  preferred_locale: (c) => c.preferred_locale,
  website: (c) => c.website,
  social_accounts: () => [],
  relationships: () => [],
};

/** Left out of GET /contacts/{id} unless requested (keap.md §3.1). */
const HIDDEN_ON_READ = new Set(['job_title', 'lead_source_id', 'custom_fields']);

export function contactListItem(
  data: Dataset,
  contact: ContactRecord,
  optional: readonly string[],
) {
  return {
    tag_ids: contact.tags.map((tag) => tag.tag_id),
    id: contact.id,
    company: companyReference(data, contact),
    email_opted_in: contact.email_opted_in,
    email_status: contact.email_status,
    date_created: formatV1Date(contact.date_created),
    last_updated: formatV1Date(contact.last_updated),
    ScoreValue: contact.score_value,
    last_updated_utc_millis: contact.last_updated,
    email_addresses: contact.email_addresses.map((email) => ({ ...email })),
    addresses: contact.addresses.map((address) => ({ ...address })),
    phone_numbers: contact.phone_numbers.map((phone) => ({ ...phone })),
    given_name: contact.given_name,
    family_name: contact.family_name,
    middle_name: contact.middle_name,
    owner_id: contact.owner_id,
    ...optionalProperties(contact, optional),
  };
}

export function fullContact(data: Dataset, contact: ContactRecord, optional: readonly string[]) {
  const always = Object.keys(OPTIONAL).filter((name) => !HIDDEN_ON_READ.has(name));
  return {
    ...contactListItem(data, contact, []),
    ...optionalProperties(contact, [...always, ...optional]),
  };
}

function optionalProperties(contact: ContactRecord, names: readonly string[]) {
  const extra: Record<string, unknown> = {};
  for (const name of names) {
    const read = OPTIONAL[name];
    if (read) extra[name] = read(contact);
  }
  return extra;
}

function companyReference(data: Dataset, contact: ContactRecord) {
  if (contact.company_id === null) return null;
  const company = data.companies.get(contact.company_id);
  return company ? { id: company.id, company_name: company.company_name } : null;
}
