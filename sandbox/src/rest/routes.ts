/** Mounts the REST v1 resources under `/crm/rest/v1`. */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { registerAccount } from './account.js';
import { registerAffiliates } from './affiliates.js';
import { registerAppointments } from './appointments.js';
import { registerCampaigns } from './campaigns.js';
import { registerCompanies } from './companies.js';
import { registerContactTags } from './contact-tags.js';
import { registerContactWrites } from './contact-writes.js';
import { registerContacts } from './contacts.js';
import { registerEmails } from './emails.js';
import { registerFiles } from './files.js';
import { registerModels } from './model.js';
import { registerNotes } from './notes.js';
import { registerOpportunities } from './opportunities.js';
import { registerOrderWrites } from './order-writes.js';
import { registerOrders } from './orders.js';
import { registerProductWrites } from './product-writes.js';
import { registerProducts } from './products.js';
import { registerSubscriptions } from './subscriptions.js';
import { registerTags } from './tags.js';
import { registerTasks } from './tasks.js';
import { registerTransactions } from './transactions.js';
import { registerUsers } from './users.js';

export const REST_V1_PREFIX = '/crm/rest/v1';

const RESOURCES = [
  registerOrders,
  registerOrderWrites,
  registerTransactions,
  registerSubscriptions,
  registerProducts,
  registerProductWrites,
  registerContacts,
  registerContactWrites,
  registerContactTags,
  registerCompanies,
  registerOpportunities,
  registerTasks,
  registerNotes,
  registerAppointments,
  registerTags,
  registerCampaigns,
  registerEmails,
  registerFiles,
  registerUsers,
  registerAffiliates,
  registerAccount,
] as const;

export async function registerRestV1(app: FastifyInstance, context: SandboxContext) {
  await app.register(
    async (api) => {
      for (const register of RESOURCES) register(api, context);
      registerModels(api);
    },
    { prefix: REST_V1_PREFIX },
  );
}
