import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshDatabase,
  provision,
  startStack,
  type ProvisionedInstance,
  type Stack,
} from './support/stack.js';

const onPostgres = !!process.env['JUNCTION_TEST_DATABASE_URL'];

/**
 * A TCP relay in front of PostgreSQL that counts the statements clients send: simple queries
 * ('Q') and extended-protocol executions ('E'). The first message of a connection (startup or
 * SSL request) has no type byte.
 */
class CountingRelay {
  statements = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: URL) {
    this.server = createServer((client) => this.relay(client));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket): void {
    const upstream = createConnection(Number(this.target.port || 5432), this.target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (pending.length < header) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        const type = started ? String.fromCharCode(pending[0] ?? 0) : '';
        if (type === 'Q' || type === 'E') this.statements++;
        // An SSL request is answered 'N' (no SSL here), and the startup message follows it.
        if (!started && pending.readInt32BE(4) !== 80877103) started = true;
        pending = pending.subarray(length);
      }
    });
  }
}

/**
 * The hub's hot path in steady state reads what it needs from memory: the user, the instance
 * and its token. On PostgreSQL the only store work a hub call may cause is the quota
 * governor's batched reservation. Counted at the wire, so nothing of the hub is replaced.
 */
describe.skipIf(!onPostgres)('GET /hubs/ecommerce/orders in steady state', () => {
  let relay: CountingRelay;
  let stack: Stack;
  let instance: ProvisionedInstance;
  beforeAll(async () => {
    const database = new URL((await freshDatabase()) ?? '');
    relay = new CountingRelay(database);
    const port = await relay.start();
    const viaRelay = new URL(database);
    viaRelay.host = `127.0.0.1:${port}`;
    // Limits high enough that a reservation covers 100 calls (a fifth of 500/s, at most 100),
    // on both sides: the sandbox holds to Keap's 25/s unless told otherwise.
    stack = await startStack({
      name: 'store-free',
      databaseUrl: viaRelay.toString(),
      sandbox: { quotaLimits: { perSecond: 500, perMinute: 30_000, tenantPerMinute: 30_000 } },
      env: { JUNCTION_QUOTA_SCALE: '20' },
    });
    instance = await provision(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await relay?.close();
  });

  /*
   * What this proves: after one warm-up call, 200 hub calls cost the store fewer statements
   * than a tenth of the calls, background work (job queue polls, event ticks) included. A
   * user, instance or token lookup per call would cost at least 200.
   */
  it('sends the store far fewer statements than it answers calls', async () => {
    const call = async () => {
      const headers = { authorization: instance.hubAuth };
      const res = await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=1`, { headers });
      await res.arrayBuffer();
      return res.status;
    };
    expect(await call()).toBe(200);
    const before = relay.statements;

    const statuses: number[] = [];
    for (let round = 0; round < 20; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, call))));
    }

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(relay.statements - before).toBeLessThan(20);
  }, 60_000);
});
