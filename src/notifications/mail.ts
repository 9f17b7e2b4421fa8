import nodemailer, { type Transporter } from 'nodemailer';
import type { MailOptions } from '../config.js';

/** One email: plain text to one or more addresses. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  /** Overrides the configured sender (`JUNCTION_SMTP_FROM`). */
  from?: string;
}

/** What the SMTP server answered: its reply code, and on refusal why, without the password. */
export type MailResult =
  | { ok: true; status: number | null; messageId: string; accepted: string[]; rejected: string[] }
  | { ok: false; status: number | null; error: string };

/**
 * The hub's one SMTP transport (`JUNCTION_SMTP_URL`), created at start-up and shared by
 * `POST /notifications/emails` and the delivery of `email` subscriptions. Connections are made
 * per message, so a server that was down is simply tried again by the next delivery.
 */
export class Mailer {
  private readonly transport: Transporter;
  private readonly secrets: string[];

  constructor(
    private readonly options: MailOptions,
    timeoutMs: number,
  ) {
    const timeouts = {
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    };
    // nodemailer's own logger is off: it would print the AUTH exchange at debug level.
    const quiet = { logger: false, debug: false };
    this.transport = nodemailer.createTransport({ url: options.url, ...quiet, ...timeouts });
    this.secrets = passwordsOf(options.url);
  }

  async send(message: MailMessage): Promise<MailResult> {
    const mail = { from: message.from ?? this.options.from, to: message.to, subject: message.subject };
    try {
      const info = await this.transport.sendMail({ ...mail, text: message.text });
      return {
        ok: true,
        status: replyCode(info.response),
        messageId: String(info.messageId),
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
      };
    } catch (err) {
      const { message: text, responseCode } = err as Error & { responseCode?: number };
      const error = this.redact(`the SMTP server refused: ${text}`);
      return { ok: false, status: responseCode ?? null, error };
    }
  }

  close(): void {
    this.transport.close();
  }

  /** Removes the SMTP password (plain and URL-encoded) from text bound for a log or a reply. */
  redact(text: string): string {
    return this.secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  }
}

function passwordsOf(url: string): string[] {
  const encoded = new URL(url).password;
  if (encoded === '') return [];
  let decoded = encoded;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    // A stray `%` is sent as written.
  }
  return [...new Set([encoded, decoded])].sort((a, b) => b.length - a.length);
}

function replyCode(response: unknown): number | null {
  const match = /^(\d{3})/.exec(String(response ?? ''));
  return match?.[1] ? Number(match[1]) : null;
}
