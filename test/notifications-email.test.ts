import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { notificationDeliveries } from '../src/store/schema.js';
import { ManualClock } from './support/manual-clock.js';
import { startStack, type Stack } from './support/stack.js';

const SMTP_USER = 'junction';
const SMTP_PASSWORD = 'smtp-pa$$word-8c1f';

/** A real SMTP server on a free port that keeps what it receives, and can refuse. */
class MailSink {
  readonly messages: { to: string[]; raw: string }[] = [];
  /** How many of the next messages are refused with a 451. */
  refuse = 0;
  /** What the refusal says (a careless server may echo what it got). */
  refusal = 'mailbox busy, try later';
  readonly logins: string[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, done) => {
      this.logins.push(auth.username ?? '');
      if (auth.password === SMTP_PASSWORD) return done(null, { user: auth.username });
      return done(new Error('Invalid username or password'));
    },
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (this.refuse > 0) {
          this.refuse--;
          return done(Object.assign(new Error(this.refusal), { responseCode: 451 }));
        }
        const to = session.envelope.rcptTo.map((r) => r.address);
        this.messages.push({ to, raw: Buffer.concat(chunks).toString('utf8') });
        return done();
      });
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface DeliveryJson {
  notificationId: number;
  channel: string;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
}

function client(stack: () => Stack) {
  return async <T>(method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: stack().platformAuth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const res = await fetch(`${stack().api}${path}`, init);
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

const alert = { severity: 'high', topic: 'alerts', message: 'disk almost full', from: 'monitor' };
const subscriber = { channel: 'email', topics: ['alerts'], config: { email: 'ops@example.com' } };

/** Spec §6.5 `POST /notifications/emails` and `email` subscriptions, through a real SMTP server. */
describe('email notifications through JUNCTION_SMTP_URL', () => {
  let stack: Stack;
  const sink = new MailSink();
  const clock = new ManualClock(Date.UTC(2026, 7, 3, 9, 0, 0));
  const call = client(() => stack);
  const run = async (ms = 0) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
  };
  const deliveriesOf = async (id: number) =>
    (await call<DeliveryJson[]>('GET', `/notifications/${id}/subscriptions/deliveries`)).body;

  beforeAll(async () => {
    const url = await sink.start();
    stack = await startStack({
      name: 'notifications-email',
      clock,
      sandbox: { clock: () => clock.now() },
      env: {
        JUNCTION_SMTP_URL: url,
        JUNCTION_SMTP_FROM: 'Junction <hub@example.com>',
        JUNCTION_EVENT_RETRIES: '2',
        JUNCTION_EVENT_RETENTION_DAYS: '1',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await sink.close();
  });

  it('POST /notifications/emails is protected', async () => {
    const body = JSON.stringify({ to: 'a@example.com', subject: 'a', message: 'b' });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const res = await fetch(`${stack.api}/notifications/emails`, init);
    expect(res.status).toBe(401);
  });

  it('POST /notifications/emails sends the email to the SMTP server', async () => {
    const body = { to: ['a@example.com', 'b@example.com'], subject: 'Order 7 failed', message: 'Sync order 7 again.' };
    const sent = await call<{ to: string[]; accepted: string[]; messageId: string }>(
      'POST',
      '/notifications/emails',
      body,
    );
    expect(sent.status).toBe(200);
    expect(sent.body.accepted).toEqual(['a@example.com', 'b@example.com']);
    const [mail] = sink.messages;
    expect(mail?.to).toEqual(['a@example.com', 'b@example.com']);
    expect(mail?.raw).toContain('Subject: Order 7 failed');
    expect(mail?.raw).toContain('Sync order 7 again.');
    expect(mail?.raw).toContain('From: Junction <hub@example.com>');
    expect(sink.logins).toEqual([SMTP_USER]);

    const one = await call('POST', '/notifications/emails', { to: 'c@example.com', subject: 'Hi', text: 'x' });
    expect(one.status).toBe(200);
    expect(sink.messages[1]?.to).toEqual(['c@example.com']);
  });

  it('POST /notifications/emails names what is wrong with its body', async () => {
    const cases: [unknown, string][] = [
      [{ subject: 'a', message: 'b' }, 'to'],
      [{ to: 'not an address', subject: 'a', message: 'b' }, 'recipient address'],
      [{ to: 'a@example.com', message: 'b' }, 'subject'],
      [{ to: 'a@example.com', subject: 'a' }, 'message'],
    ];
    for (const [body, expected] of cases) {
      const res = await call<{ message: string }>('POST', '/notifications/emails', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(expected);
    }
    expect(sink.messages).toHaveLength(2);
  });

  it('POST /notifications/emails answers 502 with the SMTP refusal, scrubbed of the password', async () => {
    sink.refuse = 1;
    sink.refusal = `no relay for ${SMTP_PASSWORD}`;
    const body = { to: 'a@example.com', subject: 'Refused', message: 'x' };
    const res = await call<{ code: string; message: string }>('POST', '/notifications/emails', body);
    sink.refusal = 'mailbox busy, try later';
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('notification.email-refused');
    expect(res.body.message).toContain('451');
    expect(res.body.message).toContain('no relay for ***');
    expect(res.text.includes(SMTP_PASSWORD)).toBe(false);
    expect(sink.messages).toHaveLength(2);
  });

  it('an email subscription needs config.email', async () => {
    for (const config of [undefined, {}, { email: 'nope' }, { email: [] }]) {
      const res = await call<{ message: string }>('POST', '/notifications/subscriptions', { ...subscriber, config });
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(res.body.message).toContain('config.email');
    }
  });

  it('a notification on a topic reaches its email subscribers', async () => {
    expect((await call('POST', '/notifications/subscriptions', subscriber)).status).toBe(200);
    const sms = { channel: 'sms', topics: ['alerts'], config: {} };
    expect((await call('POST', '/notifications/subscriptions', sms)).status).toBe(200);
    const posted = await call<{ id: number }>('POST', '/notifications', alert);
    await call('POST', '/notifications', { ...alert, topic: 'other' });
    await run();

    const mail = sink.messages.at(-1);
    expect(sink.messages).toHaveLength(3);
    expect(mail?.to).toEqual(['ops@example.com']);
    expect(mail?.raw).toContain('Subject: [high] alerts');
    expect(mail?.raw).toContain('disk almost full');
    expect(mail?.raw).toContain('from: monitor');
    const deliveries = await deliveriesOf(posted.body.id);
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts, d.lastResponseStatus])).toEqual([
      ['email', 'delivered', 1, 250],
    ]);
  });

  it('retries an email the SMTP server refused, on the webhook schedule', async () => {
    sink.refuse = 1;
    const posted = await call<{ id: number }>('POST', '/notifications', { ...alert, message: { disk: '/var' } });
    await run();
    expect(sink.messages).toHaveLength(3);
    const [failed] = await deliveriesOf(posted.body.id);
    expect(failed).toMatchObject({ status: 'retry', attempts: 1, lastResponseStatus: 451 });
    expect(failed?.lastError).toContain('mailbox busy');

    await run(3_000);
    expect(sink.messages).toHaveLength(3);
    await run(1_000);
    expect(sink.messages).toHaveLength(4);
    expect(sink.messages[3]?.raw).toContain('"disk": "/var"');
    const [delivered] = await deliveriesOf(posted.body.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
  });

  it('purges notifications older than the event retention, with their deliveries', async () => {
    const old = await call<{ id: number }>('POST', '/notifications', alert);
    await run();
    await call('PUT', `/notifications/${old.body.id}/acknowledge`);
    const unacknowledged = await call<{ id: number }>('POST', '/notifications', { ...alert, topic: 'quiet' });
    const { db } = stack.hub.services;
    const ids = [old.body.id, unacknowledged.body.id];
    expect(await db.select().from(notificationDeliveries).where(inArray(notificationDeliveries.notificationId, ids)))
      .toHaveLength(1);

    clock.advance(23 * 3_600_000);
    const recent = await call<{ id: number }>('POST', '/notifications', { ...alert, topic: 'quiet' });
    await run(2 * 3_600_000);
    for (const id of ids) expect((await call('GET', `/notifications/${id}`)).status).toBe(404);
    expect((await call('GET', `/notifications/${recent.body.id}`)).status).toBe(200);
    const left = await db
      .select()
      .from(notificationDeliveries)
      .where(inArray(notificationDeliveries.notificationId, ids));
    expect(left).toEqual([]);
  });

  it('never shows the SMTP password in a log, a delivery or an error body', async () => {
    const deliveries = await call('GET', '/notifications/subscriptions/deliveries?hydrate=true');
    expect(deliveries.status).toBe(200);
    const log = await readFile(stack.logFile, 'utf8');
    for (const text of [log, deliveries.text]) {
      expect(text.includes(SMTP_PASSWORD)).toBe(false);
      expect(text.includes(encodeURIComponent(SMTP_PASSWORD))).toBe(false);
    }
  });
});

describe('email notifications without a mail transport', () => {
  let stack: Stack;
  const clock = new ManualClock(Date.UTC(2026, 7, 3, 9, 0, 0));
  const call = client(() => stack);

  beforeAll(async () => {
    stack = await startStack({ name: 'notifications-no-mail', clock, sandbox: { clock: () => clock.now() } });
  });
  afterAll(() => stack.close());

  it('POST /notifications/emails answers 503 naming JUNCTION_SMTP_URL', async () => {
    const body = { to: 'ops@example.com', subject: 'x', message: 'y' };
    const res = await call<{ code: string; message: string }>('POST', '/notifications/emails', body);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('notification.email-unavailable');
    expect(res.body.message).toContain('JUNCTION_SMTP_URL');
  });

  it('keeps email deliveries queued, unattempted, saying why', async () => {
    expect((await call('POST', '/notifications/subscriptions', subscriber)).status).toBe(200);
    const posted = await call<{ id: number }>('POST', '/notifications', alert);
    await stack.hub.services.events.runNow();
    clock.advance(60_000);
    await stack.hub.services.events.runNow();

    const where = encodeURIComponent(`status='queued' and config.url='mailto:ops@example.com'`);
    const queued = await call<DeliveryJson[]>('GET', `/notifications/subscriptions/deliveries?where=${where}`);
    expect(queued.body.map((d) => [d.notificationId, d.channel, d.status, d.attempts])).toEqual([
      [posted.body.id, 'email', 'queued', 0],
    ]);
    expect(queued.body[0]?.lastError).toContain('JUNCTION_SMTP_URL');
    const subscriptions = await call<{ active: boolean }[]>('GET', '/notifications/subscriptions');
    expect(subscriptions.body.map((s) => s.active)).toEqual([true]);
  });
});

describe('JUNCTION_SMTP_URL', () => {
  it('is the mail transport, not a provider origin, and must be an smtp(s) URL', () => {
    const url = `smtp://${SMTP_USER}:secret@mail.example.com:587`;
    const config = loadConfig({ JUNCTION_SMTP_URL: url });
    expect(config.mail).toEqual({ url, from: 'Junction <junction@localhost>' });
    expect(config.providerOrigins).toEqual({});
    expect(loadConfig({}).mail).toBeUndefined();

    const refused = () => loadConfig({ JUNCTION_SMTP_URL: 'http://user:secret@mail.example.com' });
    expect(refused).toThrow(/JUNCTION_SMTP_URL: must be an SMTP URL/);
    expect(refused).not.toThrow(/secret/);
  });
});
