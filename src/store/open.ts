import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';
import { lockDataDir } from './lock.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * What the store is connected to, for the one other module that must share it: the job queue
 * (`src/jobs`) runs on the same PGlite instance, or on the same PostgreSQL database.
 */
export type StoreConnection =
  | { kind: 'embedded'; client: PGlite }
  | { kind: 'postgres'; url: string };

export interface Store {
  db: Database;
  kind: 'embedded' | 'postgres';
  connection: StoreConnection;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl: string | undefined;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * PGlite's shared buffers. PostgreSQL's default 128 MB made up about 170 MB of an embedded
 * hub's memory; the store's working set is small (hub calls read from the hub's own caches),
 * and pages evicted from the buffers stay in the operating system's file cache.
 */
const EMBEDDED_SHARED_BUFFERS = '16MB';

/** Migration runs from several processes at once must not interleave on PostgreSQL. */
const MIGRATION_LOCK = 7_463_001;

/**
 * Opens the store and brings its schema up to date: PostgreSQL when a URL is given,
 * otherwise the embedded PGlite database in `dataDir`, locked against other processes.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openEmbedded(options.dataDir);
}

async function openPostgres(url: string): Promise<Store> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.end();
  }
  // A bounded connect, so a readiness probe answers "unreachable" instead of waiting forever.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client the server drops (restart, pg_terminate_backend) must not crash the process;
  // the pool discards it and the next query opens a new connection.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return { db, kind: 'postgres', connection: { kind: 'postgres', url }, close: () => pool.end() };
}

async function openEmbedded(dataDir: string): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir);
  try {
    // Loaded only for the embedded store: PGlite's module alone costs a PostgreSQL start
    // about 0.3 s and 45 MB.
    const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    const client = new PGlite(join(dataDir, 'pglite'), {
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
    });
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    const close = async (): Promise<void> => {
      await client.close();
      await release();
    };
    const connection = { kind: 'embedded', client } as const;
    return { db: db as unknown as Database, kind: 'embedded', connection, close };
  } catch (err) {
    await release();
    throw err;
  }
}
