/** Mounts the REST v1 resources under `/crm/rest/v1`. */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { registerContacts } from './contacts.js';
import { registerOrders } from './orders.js';
import { registerProducts } from './products.js';

export const REST_V1_PREFIX = '/crm/rest/v1';

export async function registerRestV1(app: FastifyInstance, context: SandboxContext) {
  await app.register(
    async (api) => {
      registerOrders(api, context);
      registerProducts(api, context);
      registerContacts(api, context);
    },
    { prefix: REST_V1_PREFIX },
  );
}
