/**
 * The tenant's records, generated deterministically from a seed and an anchor time. The same
 * seed and anchor always give the same data, which `POST /_control/reset` relies on.
 */
import { Collection } from './collection.js';
import type {
  CompanyRecord,
  ContactRecord,
  OrderRecord,
  ProductRecord,
  TagCategoryRecord,
  TagRecord,
  TransactionRecord,
  UserRecord,
} from './models.js';
import type {
  AppointmentRecord,
  CampaignRecord,
  CommissionRecord,
  EmailRecord,
  FileRecord,
  NoteRecord,
  OpportunityRecord,
  ProductChange,
  StageRecord,
  SubscriptionRecord,
  TaskRecord,
} from './models-crm.js';
import {
  seedAppointments,
  seedCampaigns,
  seedEmails,
  seedFiles,
  seedNotes,
  seedTasks,
} from './seed-activity.js';
import { seedContacts } from './seed-contacts.js';
import { seedOrders } from './seed-orders.js';
import { seedProducts } from './seed-products.js';
import { seedCompanies, seedTagCategories, seedTags, seedUsers } from './seed-reference.js';
import {
  seedCommissions,
  seedOpportunities,
  seedStages,
  seedSubscriptions,
} from './seed-sales.js';
import type { SeedInput } from './seed-support.js';

export const TENANT = 'ab123.infusionsoft.com';

export interface Dataset {
  readonly tenant: string;
  readonly users: Collection<UserRecord>;
  readonly companies: Collection<CompanyRecord>;
  readonly tagCategories: Collection<TagCategoryRecord>;
  readonly tags: Collection<TagRecord>;
  readonly contacts: Collection<ContactRecord>;
  readonly products: Collection<ProductRecord>;
  readonly orders: Collection<OrderRecord>;
  readonly transactions: Collection<TransactionRecord>;
  readonly subscriptions: Collection<SubscriptionRecord>;
  readonly stages: Collection<StageRecord>;
  readonly opportunities: Collection<OpportunityRecord>;
  readonly tasks: Collection<TaskRecord>;
  readonly notes: Collection<NoteRecord>;
  readonly appointments: Collection<AppointmentRecord>;
  readonly campaigns: Collection<CampaignRecord>;
  readonly emails: Collection<EmailRecord>;
  readonly files: Collection<FileRecord>;
  readonly commissions: Collection<CommissionRecord>;
  /** Bumped on every product write; the products list reports it as `sync_token`. */
  productRevision: number;
  /** Product writes since the seed, oldest first, for `/products/sync`. */
  readonly productChanges: ProductChange[];
  /** Set by `PUT /account/profile`; null until then (the default profile is served). */
  accountProfile: Record<string, unknown> | null;
}

export function generateDataset(input: SeedInput): Dataset {
  const users = seedUsers(input);
  const companies = seedCompanies(input);
  const tagCategories = seedTagCategories();
  const tags = seedTags(tagCategories);
  const contacts = seedContacts(input, { companyIds: companies.map((row) => row.id), tags });
  const products = seedProducts(input);
  const { orders, transactions } = seedOrders(input, { contacts, companies, products });
  const stages = seedStages();

  return {
    tenant: TENANT,
    users: new Collection(users),
    companies: new Collection(companies),
    tagCategories: new Collection(tagCategories),
    tags: new Collection(tags),
    contacts: new Collection(contacts),
    products: new Collection(products),
    orders: new Collection(orders),
    transactions: new Collection(transactions),
    subscriptions: new Collection(seedSubscriptions(input, contacts, products)),
    stages: new Collection(stages),
    opportunities: new Collection(seedOpportunities(input, contacts, stages)),
    tasks: new Collection(seedTasks(input, contacts)),
    notes: new Collection(seedNotes(input, contacts)),
    appointments: new Collection(seedAppointments(input, contacts)),
    campaigns: new Collection(seedCampaigns(input, contacts)),
    emails: new Collection(seedEmails(input, contacts)),
    files: new Collection(seedFiles(input, contacts)),
    commissions: new Collection(seedCommissions(orders, users)),
    productRevision: 1,
    productChanges: [],
    accountProfile: null,
  };
}
