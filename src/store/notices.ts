import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Database, StoreConnection } from './open.js';

/** The PostgreSQL channel instance changes are announced on. */
const CHANNEL = 'junction_instance_changed';
const RECONNECT_MS = 1_000;

export interface InstanceNoticeHandlers {
  /** Another process (or this one) changed the instance with this id. */
  changed(id: number): void;
  /** Notices may have been missed (the listening connection was lost): forget everything. */
  missed(): void;
}

/**
 * Tells every process on one PostgreSQL database that an instance changed, so each drops
 * what it cached of it: hub calls read instances from memory, and a change made through one
 * process must reach the others (LISTEN/NOTIFY, delivered once the change is committed).
 * The embedded store has one process by construction, so there it does nothing.
 */
export class InstanceNotices {
  private listener: pg.Client | undefined;
  private closed = false;

  private constructor(
    private readonly db: Database,
    private readonly url: string | undefined,
    private readonly handlers: InstanceNoticeHandlers,
  ) {}

  /** Starts listening (PostgreSQL); resolves once notices are being received. */
  static async start(
    db: Database,
    connection: StoreConnection,
    handlers: InstanceNoticeHandlers,
  ): Promise<InstanceNotices> {
    const url = connection.kind === 'postgres' ? connection.url : undefined;
    const notices = new InstanceNotices(db, url, handlers);
    if (url) await notices.listen();
    return notices;
  }

  /** Announces a change of instance `id` to every process, this one included. */
  async publish(id: number): Promise<void> {
    if (!this.url) return;
    await this.db.execute(sql`select pg_notify(${CHANNEL}, ${String(id)})`);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      const id = Number(message.payload);
      if (Number.isSafeInteger(id)) this.handlers.changed(id);
    });
    // A lost session may have missed notices: caches are dropped and a new session starts.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    this.listener = client;
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = undefined;
    this.handlers.missed();
    const retry = (): void => {
      if (this.closed) return;
      this.listen().then(
        () => this.handlers.missed(),
        () => setTimeout(retry, RECONNECT_MS).unref(),
      );
    };
    setTimeout(retry, RECONNECT_MS).unref();
  }
}
