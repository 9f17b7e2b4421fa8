import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  body: string;
  status: number;
}

/**
 * A real HTTP callback receiver, standing for the app behind `event.notification.callback.url`.
 * `respond` scripts the status of the next requests (default 200).
 */
export class Receiver {
  readonly received: Received[] = [];
  private readonly script: number[] = [];
  private readonly held: import('node:http').ServerResponse[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = this.script.shift() ?? 200;
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        if (status === 0) this.held.push(response);
        else response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
    return this;
  }

  /** The next requests are answered with these statuses, in order; 0 never answers. */
  respond(...statuses: number[]): void {
    this.script.push(...statuses);
  }

  /** Notifications accepted (2xx), parsed. */
  accepted(): Notification[] {
    return this.received.filter((r) => r.status < 300).map((r) => JSON.parse(r.body) as Notification);
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface NotifiedEvent {
  objectType: string;
  objectId: string;
  eventType: string;
  date: string;
}

export interface Notification {
  message: { eventId: string; instanceId: number; raw: Record<string, unknown>; events: NotifiedEvent[] };
}

/** Polls `check` (real time) until it holds, for work the hub does in the background. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
