import { fromPglite, type ConstructorOptions } from 'pg-boss';
import type { StoreConnection } from '../store/open.js';

/** pg-boss keeps its tables in their own schema, apart from the store's. */
export const JOBS_SCHEMA = 'pgboss';

/**
 * How pg-boss reaches the store's database. This is the only place that tells the two stores
 * apart for the queue; everything above it runs the same code on both.
 *
 * - PostgreSQL: pg-boss opens a small pool of its own on the same database, so a long-running
 *   job never takes a connection the HTTP requests need, and so it can hold a LISTEN session.
 * - Embedded: PGlite is one connection owned by this process, so pg-boss runs through its
 *   PGlite adapter over the very instance the store uses. PGlite serialises every statement
 *   (and waits for an open drizzle transaction), and each pg-boss transaction is sent as one
 *   multi-statement string, so the two never interleave inside a transaction.
 */
export function connectionOptions(connection: StoreConnection): ConstructorOptions {
  if (connection.kind === 'embedded') {
    return { db: fromPglite(connection.client), backend: 'pglite', schema: JOBS_SCHEMA };
  }
  return {
    connectionString: connection.url,
    schema: JOBS_SCHEMA,
    max: 4,
    application_name: 'junction-jobs',
    connectionTimeoutMillis: 5_000,
  };
}
