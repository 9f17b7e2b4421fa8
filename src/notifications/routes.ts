import { z } from 'zod';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { principalOf, type Services } from '../platform/context.js';
import {
  acknowledgeNotification,
  createNotification,
  deleteNotification,
  findNotification,
  searchNotifications,
} from '../store/notifications.js';
import { NOTIFICATION_SEVERITIES } from '../store/schema.js';
import { notificationSearch } from './search.js';
import { notificationView } from './views.js';

const notificationBody = z.object({
  severity: z.enum(NOTIFICATION_SEVERITIES),
  topic: z.string().trim().min(1, 'topic names what the notification is about, e.g. "orders"'),
  message: z.union([z.string(), z.record(z.string(), z.unknown())]),
  from: z.string().optional(),
});
const EMAIL_TO = 'to is the recipient address, or an array of them';
const EMAIL_TEXT = 'the email needs a text: message (or text, or body)';
const emailAddress = z.email({ message: EMAIL_TO });
/** `POST /notifications/emails`: the spec gives no body; this is the customary one. */
const emailBody = z
  .object({
    to: z.union([emailAddress, z.array(emailAddress).min(1, EMAIL_TO)], { message: EMAIL_TO }),
    subject: z.string({ message: 'subject is required' }).trim().min(1, 'subject is required'),
    message: z.string().optional(),
    text: z.string().optional(),
    body: z.string().optional(),
    from: z.email({ message: 'from, when given, is the sender address' }).optional(),
  })
  .refine((b) => b.message !== undefined || b.text !== undefined || b.body !== undefined, {
    message: EMAIL_TEXT,
    path: ['message'],
  });
const searchQuery = z
  .object({
    'topics[]': z.union([z.string(), z.array(z.string())]).optional(),
    topics: z.union([z.string(), z.array(z.string())]).optional(),
    where: z.string().optional(),
  })
  .passthrough();
// The same parameter name as the deliveries routes under /notifications/{notificationId}/….
const idParams = z.object({ notificationId: z.string() });
/** Notification ids are PostgreSQL integers; anything else names no notification. */
const MAX_ID = 2_147_483_647;
const tags = ['notifications'];

/**
 * The generic notification APIs of spec §6.5: post a notification on a topic, search, read,
 * acknowledge and delete them. Posting queues a delivery to every active webhook
 * or email subscription of the organization to the topic (see `subscription-routes.ts`,
 * `delivery.ts`); `POST /notifications/emails` sends one email through `JUNCTION_SMTP_URL`.
 */
export function notificationRoutes(app: App, services: Services): void {
  const now = () => new Date(services.clock.now());
  const organizationOf = async (request: Parameters<typeof principalOf>[1]) =>
    (await principalOf(services, request)).organization.id;

  const post = { schema: { tags, summary: 'Post a notification', body: notificationBody } };
  app.post('/notifications', post, async (request) => {
    const organizationId = await organizationOf(request);
    const { from, ...rest } = request.body;
    const input = { ...rest, from: from ?? null };
    const created = await createNotification(services.db, organizationId, input, now());
    if (created.deliveries > 0) void services.events.nudge();
    return notificationView(created.notification);
  });

  const search = { schema: { tags, summary: 'Search notifications', querystring: searchQuery } };
  app.get('/notifications', search, async (request) => {
    const organizationId = await organizationOf(request);
    const query = notificationSearch(request.query);
    return (await searchNotifications(services.db, organizationId, query)).map(notificationView);
  });

  const one = { tags, params: idParams };
  const read = { schema: { ...one, summary: 'Read a notification' } };
  app.get('/notifications/:notificationId', read, async (request) => {
    const organizationId = await organizationOf(request);
    const id = notificationId(request.params.notificationId);
    const found = await findNotification(services.db, organizationId, id);
    if (!found) throw apiError('notification.unknown', { id: request.params.notificationId });
    return notificationView(found);
  });

  app.put(
    '/notifications/:notificationId/acknowledge',
    { schema: { ...one, summary: 'Acknowledge a notification' } },
    async (request) => {
      const organizationId = await organizationOf(request);
      const id = notificationId(request.params.notificationId);
      const found = await acknowledgeNotification(services.db, organizationId, id, now());
      if (!found) throw apiError('notification.unknown', { id: request.params.notificationId });
      return notificationView(found);
    },
  );

  app.delete(
    '/notifications/:notificationId',
    { schema: { ...one, summary: 'Delete a notification and its deliveries' } },
    async (request, reply) => {
      const organizationId = await organizationOf(request);
      const id = notificationId(request.params.notificationId);
      if (!(await deleteNotification(services.db, organizationId, id))) {
        throw apiError('notification.unknown', { id: request.params.notificationId });
      }
      return reply.code(200).send();
    },
  );

  const email = { schema: { tags, summary: 'Send an email', body: emailBody } };
  app.post('/notifications/emails', email, async (request) => {
    await organizationOf(request);
    if (!services.mailer) throw apiError('notification.email-unavailable');
    const { to, subject, from } = request.body;
    const text = request.body.message ?? request.body.text ?? request.body.body ?? '';
    const message = { to: typeof to === 'string' ? [to] : to, subject, text, ...(from ? { from } : {}) };

    const sent = await services.mailer.send(message);
    if (!sent.ok) throw apiError('notification.email-refused', { detail: sent.error });
    const { messageId, accepted, rejected } = sent;
    return { to: message.to, subject, messageId, accepted, rejected };
  });
}

/** The integer id in the path; one that is not (`-1`, `abc`, too large) names nothing: 404. */
function notificationId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || id > MAX_ID) throw apiError('notification.unknown', { id: text });
  return id;
}
