/**
 * Contacts: a realistic mix of email statuses, contacts reachable only by phone, scores,
 * tags and custom fields, created over the last 180 days and partly updated since.
 */
import type { ContactRecord, EmailStatus, TagRecord } from './models.js';
import {
  EMAIL_DOMAINS,
  FAMILY_NAMES,
  GIVEN_NAMES,
  JOB_TITLES,
  MIDDLE_NAMES,
  TIME_ZONES,
} from './names.js';
import { createRandom, type Random } from './random.js';
import {
  numberByDate,
  pastTime,
  phoneNumber,
  streetAddress,
  timeBetween,
  type SeedInput,
} from './seed-support.js';

export const CONTACT_COUNT = 220;

/** Weighted by repetition; marketable statuses dominate as in a typical list. */
const EMAIL_STATUSES: readonly EmailStatus[] = [
  'SingleOptIn', 'SingleOptIn', 'SingleOptIn', 'SingleOptIn', 'SingleOptIn',
  'Confirmed', 'Confirmed', 'Confirmed',
  'UnengagedMarketable', 'UnengagedMarketable', 'UnengagedMarketable',
  'NonMarketable', 'NonMarketable', 'NonMarketable',
  'DoubleOptin', 'UnengagedNonMarketable', 'Bounce', 'HardBounce', 'ListUnsubscribe', 'Spam',
  'Invalid', 'Lockdown', 'Manual', 'Admin', 'Feedback', 'System',
];

const MARKETABLE: ReadonlySet<EmailStatus> = new Set<EmailStatus>([
  'SingleOptIn', 'DoubleOptin', 'Confirmed', 'UnengagedMarketable',
]);

const SOURCE_TYPES = ['WEBFORM', 'LANDINGPAGE', 'IMPORT', 'MANUAL', 'API', 'OTHER'] as const;
const COLORS = ['red', 'green', 'blue', 'purple', 'orange'] as const;

export interface ContactSeedRefs {
  companyIds: readonly number[];
  tags: readonly TagRecord[];
}

export function seedContacts(input: SeedInput, refs: ContactSeedRefs): ContactRecord[] {
  const random = createRandom(input.seed, 'contacts');
  const rows: ContactRecord[] = [];
  for (let i = 0; i < CONTACT_COUNT; i += 1) rows.push(contact(random, input.anchor, refs));

  numberByDate(rows, (row) => row.date_created);
  // Addresses derive from the id so that every email in the tenant is unique.
  for (const row of rows) {
    for (const address of row.email_addresses) {
      address.email = address.email.replace('#', String(row.id));
    }
  }
  return rows;
}

function contact(random: Random, anchor: number, refs: ContactSeedRefs): ContactRecord {
  const given = random.pick(GIVEN_NAMES);
  const family = random.pick(FAMILY_NAMES);
  const dateCreated = pastTime(random, anchor, 180);
  const lastUpdated = random.chance(0.6) ? timeBetween(random, dateCreated, anchor) : dateCreated;

  // About one contact in ten has no email at all; Keap then requires a phone number.
  const hasEmail = random.chance(0.9);
  const status: EmailStatus = hasEmail ? random.pick(EMAIL_STATUSES) : 'NonMarketable';
  const optedIn = MARKETABLE.has(status);
  const local = `${given}.${family}#`.toLowerCase();

  return {
    id: 0,
    given_name: given,
    middle_name: random.chance(0.15) ? random.pick(MIDDLE_NAMES) : null,
    family_name: family,
    prefix: null,
    suffix: null,
    preferred_name: random.chance(0.1) ? given.slice(0, 3) : null,
    job_title: random.chance(0.4) ? random.pick(JOB_TITLES) : null,
    email_addresses: hasEmail ? emails(random, local) : [],
    phone_numbers: !hasEmail || random.chance(0.55) ? [phone(random)] : [],
    fax_numbers: [],
    addresses: random.chance(0.55) ? [streetAddress(random, 'BILLING')] : [],
    company_id: random.chance(0.35) ? random.pick(refs.companyIds) : null,
    owner_id: random.chance(0.5) ? random.int(1, 2) : null,
    lead_source_id: random.chance(0.3) ? random.int(1, 5) : null,
    contact_type: random.chance(0.5) ? random.pick(['Lead', 'Customer']) : null,
    email_opted_in: optedIn,
    email_status: status,
    opt_in_reason: optedIn ? 'Opted in through a web form' : null,
    origin: random.chance(0.4)
      ? { date: dateCreated, ip_address: `203.0.113.${random.int(1, 254)}` }
      : null,
    source_type: random.pick(SOURCE_TYPES),
    tags: appliedTags(random, refs.tags, dateCreated, lastUpdated),
    custom_fields: [
      { id: 2, content: random.chance(0.5) ? random.pick(COLORS) : null },
      { id: 4, content: random.chance(0.4) ? random.pick(['Bronze', 'Silver', 'Gold']) : null },
      { id: 6, content: null },
    ],
    birthday: random.chance(0.2) ? birthday(random) : null,
    anniversary: null,
    spouse_name: null,
    time_zone: random.chance(0.5) ? random.pick(TIME_ZONES) : null,
    preferred_locale: random.chance(0.5) ? 'en_US' : null,
    website: random.chance(0.1) ? `https://${family.toLowerCase()}.example` : null,
    score_value: random.chance(0.3) ? null : String(random.int(0, 100)),
    date_created: dateCreated,
    last_updated: lastUpdated,
  };
}

function phone(random: Random): ContactRecord['phone_numbers'][number] {
  const type = random.pick(['Work', 'Mobile', 'Home']);
  return { number: phoneNumber(random), extension: null, type, field: 'PHONE1' };
}

function birthday(random: Random): number {
  return Date.UTC(random.int(1955, 2002), random.int(0, 11), random.int(1, 28));
}

function emails(random: Random, local: string): ContactRecord['email_addresses'] {
  const primary = { email: `${local}@${random.pick(EMAIL_DOMAINS)}`, field: 'EMAIL1' as const };
  if (!random.chance(0.1)) return [primary];
  return [primary, { email: `${local}.alt@${random.pick(EMAIL_DOMAINS)}`, field: 'EMAIL2' }];
}

function appliedTags(random: Random, tags: readonly TagRecord[], from: number, to: number) {
  const count = random.int(0, 3);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, tags.length)) chosen.add(random.pick(tags).id);
  return [...chosen]
    .sort((a, b) => a - b)
    .map((tagId) => ({ tag_id: tagId, date_applied: timeBetween(random, from, to) }));
}
