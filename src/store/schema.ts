import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
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

export type OrganizationRow = typeof organizations.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type InstanceRow = typeof instances.$inferSelect;
export type NewInstanceRow = typeof instances.$inferInsert;
