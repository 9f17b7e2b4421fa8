import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The one schema of Junction's store, for both backends (PGlite and PostgreSQL).
 * Secrets never appear here in the clear: organization and user secrets are hashes;
 * instance tokens and provider credentials are AES-256-GCM envelopes (see crypto/).
 */

export const organizations = pgTable('organizations', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  createdDate: timestamp('created_date', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  organizationId: integer('organization_id')
    .notNull()
    .references(() => organizations.id),
  email: text('email').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  createdDate: timestamp('created_date', { withTimezone: true }).notNull().defaultNow(),
});

export const instances = pgTable('instances', {
  id: serial('id').primaryKey(),
  organizationId: integer('organization_id')
    .notNull()
    .references(() => organizations.id),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  elementKey: text('element_key').notNull(),
  name: text('name').notNull(),
  tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** Configuration entries that are not secret, as strings. */
  configuration: jsonb('configuration').$type<Record<string, string>>().notNull(),
  /** Secret configuration entries (client secret, provider tokens), each an encrypted envelope. */
  secrets: jsonb('secrets').$type<Record<string, string>>().notNull(),
  /** SHA-256 of the instance token: how a hub call finds its instance. */
  tokenHash: text('token_hash').notNull().unique(),
  /** The instance token itself, encrypted, so the API can show it to its owner. */
  tokenSecret: text('token_secret').notNull(),
  /**
   * Bumped whenever the provider grant changes (refresh, re-authentication): the fencing
   * value that lets exactly one writer replace the tokens a refresh spent.
   */
  credentialsVersion: integer('credentials_version').notNull().default(0),
  valid: boolean('valid').notNull().default(true),
  disabled: boolean('disabled').notNull().default(false),
  cachingEnabled: boolean('caching_enabled').notNull().default(false),
  traceLoggingEnabled: boolean('trace_logging_enabled').notNull().default(false),
  externalAuthentication: text('external_authentication').notNull().default('none'),
  createdDate: timestamp('created_date', { withTimezone: true }).notNull().defaultNow(),
  updatedDate: timestamp('updated_date', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Provider call counters shared by every process on PostgreSQL: one row per OAuth client with
 * the current second's and minute's counts (one row, so one statement locks one row and
 * concurrent callers cannot deadlock), each reset in place when its window moves on.
 */
export const quotaCounters = pgTable('quota_counters', {
  key: text('key').primaryKey(),
  secondWindow: bigint('second_window', { mode: 'number' }).notNull(),
  secondUsed: integer('second_used').notNull(),
  minuteWindow: bigint('minute_window', { mode: 'number' }).notNull(),
  minuteUsed: integer('minute_used').notNull(),
  /** Epoch ms until which the provider's daily quota is spent (0: not blocked). */
  blockedUntil: bigint('blocked_until', { mode: 'number' }).notNull().default(0),
});

/*
 * The event pipeline (src/events). Every step leaves its result here before the next one
 * starts, so a process that dies at any point loses nothing: polls and inbound payloads become
 * events, events wait in the delivery outbox until a callback accepted them. Times are written
 * from the injected clock, never by the database, so tests can move them.
 */

const at = (name: string) => timestamp(name, { withTimezone: true });
const instanceRef = () =>
  integer('instance_id')
    .notNull()
    .references(() => instances.id, { onDelete: 'cascade' });

/** How far each polled resource of an instance has been read. */
export const eventPollState = pgTable(
  'event_poll_state',
  {
    instanceId: instanceRef(),
    resource: text('resource').notNull(),
    /** Changes after this instant are still to be reported. */
    watermark: at('watermark').notNull(),
    nextPollAt: at('next_poll_at').notNull(),
    /** A sweep in progress holds the row until then; a crashed one lets it go. */
    lockedUntil: at('locked_until'),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.resource] })],
);

/** Every change already turned into an event: how duplicates are recognised. */
export const eventChanges = pgTable(
  'event_changes',
  {
    instanceId: instanceRef(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    /** The object's modification date (ISO), or the provider's timestamp when it has none. */
    changedAt: text('changed_at').notNull(),
    eventId: text('event_id').notNull(),
    createdDate: at('created_date').notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.objectType, t.objectId, t.changedAt] })],
);

/** Inbound payloads (vendor webhooks, `/events/{key}`) waiting to be confirmed and turned into events. */
export const eventInbox = pgTable(
  'event_inbox',
  {
    id: serial('id').primaryKey(),
    instanceId: instanceRef(),
    body: jsonb('body').notNull(),
    /** How the payload reads: a provider's hook batch, or poller-shaped records (spec §6.1). */
    shape: text('shape').$type<'hook' | 'polling'>().notNull().default('hook'),
    receivedDate: at('received_date').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull(),
    lockedUntil: at('locked_until'),
    lastError: text('last_error'),
  },
  (t) => [index('event_inbox_due').on(t.nextAttemptAt)],
);

/** An event record (spec §6.6): one notification to the app, with the exact body it is sent as. */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    instanceId: instanceRef(),
    organizationId: integer('organization_id').notNull(),
    elementKey: text('element_key').notNull(),
    source: text('source').$type<EventSource>().notNull(),
    status: text('status').$type<EventStatus>().notNull(),
    /** What the provider sent (or the poll read), as text. */
    providerData: text('provider_data').notNull(),
    /** The callback body, serialised once so every retry sends and signs the same bytes. */
    body: text('body').notNull(),
    createdDate: at('created_date').notNull(),
    updatedDate: at('updated_date').notNull(),
  },
  (t) => [index('events_instance').on(t.instanceId, t.createdDate)],
);

/** The outbox: one delivery of an event to the instance's callback, with its retry state. */
export const eventDeliveries = pgTable(
  'event_deliveries',
  {
    id: serial('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    instanceId: instanceRef(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    lockedUntil: at('locked_until'),
    url: text('url'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdDate: at('created_date').notNull(),
    updatedDate: at('updated_date').notNull(),
  },
  (t) => [
    uniqueIndex('event_deliveries_event').on(t.eventId),
    index('event_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
);

/** An instance's webhook endpoint at Junction and the hooks registered at the provider for it. */
export const eventHooks = pgTable('event_hooks', {
  // No foreign key: the row must outlive its instance long enough to remove the provider's hooks.
  instanceId: integer('instance_id').primaryKey(),
  /** SHA-256 of the secret last segment of the endpoint URL. */
  tokenHash: text('token_hash').notNull(),
  /** The provider's handshake is answered only until then, while a registration is pending. */
  handshakeUntil: at('handshake_until'),
  /** Provider hook ids by event key. */
  hooks: jsonb('hooks').$type<Record<string, string>>().notNull(),
  status: text('status').$type<'pending' | 'registered' | 'failed'>().notNull(),
  /**
   * The secret of the last handshake answered while the registration was pending, kept until
   * the registration has read it: when the provider lost the answer, it confirms the hook with
   * the provider's delayed verification.
   */
  handshakeSecret: text('handshake_secret'),
  lastError: text('last_error'),
  updatedDate: at('updated_date').notNull(),
});

/**
 * Settings of an account (spec §6.5). Junction's account is the organization: each organization
 * is its own (default) account, with the organization's id as the account id. Keys absent from
 * `settings` take the hub's configured defaults.
 */
export const accountSettings = pgTable('account_settings', {
  organizationId: integer('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<Record<string, string>>().notNull(),
  updatedDate: at('updated_date').notNull(),
});

/**
 * An instance's subscription to its events: the callback its deliveries go to (spec §6.5). No
 * row means active. The last failed retry deactivates it, so later events are queued without
 * being attempted; a redelivery (`PUT /notifications/subscriptions/deliveries`) reactivates it.
 */
export const eventSubscriptions = pgTable('event_subscriptions', {
  instanceId: instanceRef().primaryKey(),
  active: boolean('active').notNull(),
  deactivatedDate: at('deactivated_date'),
  updatedDate: at('updated_date').notNull(),
});

/** Where an event came from: a poll, a provider webhook, or the platform itself (an instance turned invalid). */
export type EventSource = 'polling' | 'webhook' | 'platform';

/**
 * Provider hooks still to be removed, of a deleted instance or of one that no longer wants
 * them. A row is written in the same transaction that deletes the instance or forgets its hooks,
 * so a process dying right after cannot leave them registered; any process may then take it.
 */
export const eventHookRemovals = pgTable(
  'event_hook_removals',
  {
    id: serial('id').primaryKey(),
    // No foreign key: the instance is usually gone.
    instanceId: integer('instance_id').notNull(),
    elementKey: text('element_key').notNull(),
    /** The instance's configuration when it was queued: plain entries, and secret ones sealed. */
    configuration: jsonb('configuration').$type<Record<string, string>>().notNull(),
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull(),
    credentialsVersion: integer('credentials_version').notNull(),
    /** Provider hook ids by event key, still to be removed. */
    hooks: jsonb('hooks').$type<Record<string, string>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull(),
    lockedUntil: at('locked_until'),
    lastError: text('last_error'),
    createdDate: at('created_date').notNull(),
  },
  (t) => [index('event_hook_removals_due').on(t.nextAttemptAt)],
);

/*
 * Generic notifications (spec §6.5): an organization posts a notification on a topic, and every
 * active subscription of the organization to that topic gets it. `webhook` and `email` (with
 * `JUNCTION_SMTP_URL`) subscriptions are delivered, `sms` and `push` are not (no transport); their
 * deliveries wait in an outbox of their own, beside the event outbox and driven by the same tick.
 */

/**
 * A notification posted through `POST /notifications`. Its id is an integer, never an event id.
 * Purged with their deliveries, acknowledged or not, after the event retention
 * (`JUNCTION_EVENT_RETENTION_DAYS`, see `purgeNotifications`).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    severity: text('severity').$type<NotificationSeverity>().notNull(),
    topic: text('topic').notNull(),
    /** What the poster sent as `message`: a string or a JSON object. */
    message: jsonb('message').notNull(),
    from: text('from_name'),
    acknowledged: boolean('acknowledged').notNull().default(false),
    createdDate: at('created_date').notNull(),
    updatedDate: at('updated_date').notNull(),
  },
  (t) => [index('notifications_topic').on(t.organizationId, t.topic)],
);

/**
 * A subscription to topics (`POST /notifications/subscriptions`). Its id is a UUID, so it can
 * never be mistaken for an instance id (the subscription id of an event delivery).
 */
export const notificationSubscriptions = pgTable('notification_subscriptions', {
  id: text('id').primaryKey(),
  organizationId: integer('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  channel: text('channel').$type<NotificationChannel>().notNull(),
  topics: jsonb('topics').$type<string[]>().notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  /** False once a delivery failed its last retry; later notifications are queued. */
  active: boolean('active').notNull().default(true),
  createdDate: at('created_date').notNull(),
  updatedDate: at('updated_date').notNull(),
});

/**
 * The outbox of generic notifications: one delivery per notification and webhook or email
 * subscription. `url` is the webhook's URL, or `mailto:<addresses>` for an email subscription.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: serial('id').primaryKey(),
    notificationId: integer('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => notificationSubscriptions.id, { onDelete: 'cascade' }),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    lockedUntil: at('locked_until'),
    url: text('url').notNull(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdDate: at('created_date').notNull(),
    updatedDate: at('updated_date').notNull(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_pair').on(t.notificationId, t.subscriptionId),
    index('notification_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
);

export const NOTIFICATION_SEVERITIES = ['low', 'medium', 'high'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];
export const NOTIFICATION_CHANNELS = ['webhook', 'email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type EventStatus = 'NEW' | 'RECEIVED' | 'DISPATCHED' | 'CONSUMED' | 'NOTIFIED';
export type DeliveryStatus = 'created' | 'retry' | 'delivered' | 'notified' | 'queued';

export type OrganizationRow = typeof organizations.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type InstanceRow = typeof instances.$inferSelect;
export type NewInstanceRow = typeof instances.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type DeliveryRow = typeof eventDeliveries.$inferSelect;
export type HookRemovalRow = typeof eventHookRemovals.$inferSelect;
export type PollStateRow = typeof eventPollState.$inferSelect;
export type InboxRow = typeof eventInbox.$inferSelect;
export type HookRow = typeof eventHooks.$inferSelect;
export type SubscriptionRow = typeof eventSubscriptions.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationSubscriptionRow = typeof notificationSubscriptions.$inferSelect;
export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;
