/** Users, companies and tags: the small reference tables other records point at. */
import { COMPANY_WORDS, COMPANY_SUFFIXES, TAG_NAMES } from './names.js';
import type { CompanyRecord, TagCategoryRecord, TagRecord, UserRecord } from './models.js';
import { createRandom } from './random.js';
import {
  daysBefore,
  numberByDate,
  pastTime,
  phoneNumber,
  streetAddress,
  timeBetween,
  type SeedInput,
} from './seed-support.js';

export function seedUsers({ anchor }: SeedInput): UserRecord[] {
  const created = daysBefore(anchor, 400);
  const user = (id: number, given: string, family: string, admin: boolean): UserRecord => ({
    id,
    given_name: given,
    family_name: family,
    email_address: `${given.toLowerCase()}@ab123.example`,
    status: 'Active',
    admin,
    partner: false,
    global_user_id: 90_000 + id,
    time_zone: 'America/Phoenix',
    date_created: created,
    last_updated: created,
  });
  return [user(1, 'Integration', 'User', true), user(2, 'Morgan', 'Reyes', false)];
}

export function seedCompanies(input: SeedInput): CompanyRecord[] {
  const random = createRandom(input.seed, 'companies');
  const rows = COMPANY_WORDS.map((word): CompanyRecord => {
    const dateCreated = pastTime(random, daysBefore(input.anchor, 90), 300);
    const slug = word.toLowerCase();
    return {
      id: 0,
      company_name: `${word} ${random.pick(COMPANY_SUFFIXES)}`,
      email_address: random.chance(0.7) ? `hello@${slug}.example` : null,
      email_opted_in: false,
      email_status: 'NonMarketable',
      phone_number: random.chance(0.8)
        ? { number: phoneNumber(random), extension: null, type: 'Work' }
        : null,
      fax_number: null,
      address: random.chance(0.6) ? companyAddress(random) : null,
      website: random.chance(0.5) ? `https://www.${slug}.example` : null,
      notes: null,
      custom_fields: [{ id: 8, content: random.chance(0.5) ? random.int(2, 250) : null }],
      date_created: dateCreated,
      last_updated: timeBetween(random, dateCreated, input.anchor),
    };
  });
  return numberByDate(rows, (row) => row.date_created);
}

function companyAddress(random: ReturnType<typeof createRandom>): CompanyRecord['address'] {
  const { field: _field, postal_code: _postal, ...address } = streetAddress(random, 'BILLING');
  return address;
}

export function seedTagCategories(): TagCategoryRecord[] {
  const names = [...new Set(TAG_NAMES.map(([, category]) => category))];
  return names.map((name, index) => ({ id: index + 1, name, description: null }));
}

/** Tag ids start at 90, like a Keap app that has seen some tags come and go. */
export function seedTags(categories: readonly TagCategoryRecord[]): TagRecord[] {
  return TAG_NAMES.map(([name, category], index) => ({
    id: 90 + index,
    name,
    description: null,
    category_id: categories.find((candidate) => candidate.name === category)?.id ?? null,
  }));
}
