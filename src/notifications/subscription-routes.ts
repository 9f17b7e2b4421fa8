import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import {
  createSubscription,
  deleteSubscription,
  findSubscription,
  listSubscriptions,
} from '../store/notifications.js';
import { NOTIFICATION_CHANNELS } from '../store/schema.js';
import { subscriptionView } from './views.js';

const WEBHOOK_URL = 'a webhook subscription needs config.url, the http(s) URL notifications are POSTed to';
const EMAIL =
  'an email subscription needs config.email, the address (or an array of addresses) notifications are mailed to';
const address = z.email({ message: EMAIL });

const subscriptionBody = z
  .object({
    channel: z.enum(NOTIFICATION_CHANNELS),
    topics: z.array(z.string().trim().min(1)).min(1, 'topics lists at least one topic to subscribe to'),
    config: z
      .object({
        url: z.url({ protocol: /^https?$/, message: WEBHOOK_URL }).optional(),
        email: z.union([address, z.array(address).min(1, EMAIL)], { message: EMAIL }).optional(),
      })
      .passthrough()
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.channel === 'webhook' && !body.config?.url) {
      ctx.addIssue({ code: 'custom', path: ['config', 'url'], message: WEBHOOK_URL });
    }
    if (body.channel === 'email' && !body.config?.email) {
      ctx.addIssue({ code: 'custom', path: ['config', 'email'], message: EMAIL });
    }
  });
const idParams = z.object({ subscriptionId: z.string() });
const tags = ['notifications'];

/**
 * Subscriptions to notification topics (spec §6.5). Every channel is stored; `webhook` and
 * `email` subscriptions are delivered to (email through `JUNCTION_SMTP_URL`), `sms` and `push`
 * are not, as Junction has no transport for them.
 */
export function subscriptionRoutes(app: App, services: Services): void {
  const organizationOf = async (request: Parameters<typeof principalOf>[1]) =>
    (await principalOf(services, request)).organization.id;
  const path = '/notifications/subscriptions';

  const create = { schema: { tags, summary: 'Subscribe to topics', body: subscriptionBody } };
  app.post(path, create, async (request) => {
    const organizationId = await organizationOf(request);
    const { channel, topics, config } = request.body;
    const input = { channel, topics: [...new Set(topics)], config: config ?? {} };
    const now = new Date(services.clock.now());
    return subscriptionView(await createSubscription(services.db, organizationId, input, now));
  });

  app.get(path, { schema: { tags, summary: 'List subscriptions' } }, async (request) =>
    (await listSubscriptions(services.db, await organizationOf(request))).map(subscriptionView),
  );

  const one = `${path}/:subscriptionId`;
  app.get(one, { schema: { tags, summary: 'Read a subscription', params: idParams } }, async (request) => {
    const organizationId = await organizationOf(request);
    const found = await findSubscription(services.db, organizationId, request.params.subscriptionId);
    if (!found) throw apiError('subscription.not-found', { id: request.params.subscriptionId });
    return subscriptionView(found);
  });

  const remove = { schema: { tags, summary: 'Delete a subscription', params: idParams } };
  app.delete(one, remove, async (request, reply) => {
    const organizationId = await organizationOf(request);
    if (!(await deleteSubscription(services.db, organizationId, request.params.subscriptionId))) {
      throw apiError('subscription.not-found', { id: request.params.subscriptionId });
    }
    return reply.code(200).send();
  });
}
