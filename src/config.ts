import { z } from 'zod';

/**
 * Every setting Junction reads, with its default. This is the only module that reads
 * `process.env`: it parses the whole environment once, at start-up, and reports every
 * problem together. Everything else receives a `Config`.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  JUNCTION_DATA_DIR: z.string().default('./data'),
  JUNCTION_DATABASE_URL: z.string().url().optional(),
  JUNCTION_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of 32 bytes')
    .optional(),
  JUNCTION_PREVIOUS_ENCRYPTION_KEYS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter((k) => k !== ''))
    .refine(
      (keys) => keys.every((k) => Buffer.from(k, 'base64').length === 32),
      'must be a comma-separated list of base64 32-byte keys',
    )
    .default([]),
  JUNCTION_ORGANIZATION_SECRET: z.string().min(1).optional(),
  JUNCTION_USER_SECRET: z.string().min(1).optional(),
  JUNCTION_QUOTA_SCALE: z.coerce.number().positive().default(1),
  JUNCTION_SHUTDOWN_SECONDS: z.coerce.number().positive().max(3600).default(25),
  JUNCTION_PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://junction.example.com' }).optional(),
  JUNCTION_EVENTS_TICK_MS: z.coerce.number().int().min(10).default(5000),
  JUNCTION_EVENT_FAILURE_POLICY: z.enum(['retry', 'queue']).default('retry'),
  JUNCTION_EVENT_RETRIES: z.coerce.number().int().min(0).max(20).default(9),
  JUNCTION_EVENT_RETRY_EXPONENT: z.coerce.number().min(0).max(5).default(2),
  JUNCTION_EVENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  JUNCTION_EVENT_RETENTION_DAYS: z.coerce.number().min(0).default(7),
  JUNCTION_SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      message: 'must be an SMTP URL such as smtp://user:password@mail.example.com:587 (smtps:// for TLS)',
    })
    .optional(),
  JUNCTION_SMTP_FROM: z.string().min(1).default('Junction <junction@localhost>'),
  JUNCTION_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  encryptionKey: string | undefined;
  /** Keys that only open values (sealed before a rotation); never used to seal. */
  previousEncryptionKeys: string[];
  organizationSecret: string | undefined;
  userSecret: string | undefined;
  logLevel: string;
  /** Multiplies every provider's call limits; > 1 only for benchmarks against a local upstream. */
  quotaScale: number;
  /** How long a shutdown waits for in-flight requests, then again for in-flight jobs. */
  shutdownMs: number;
  events: EventOptions;
  /**
   * Provider origin overrides, from `JUNCTION_<PROVIDER>_URL` (e.g. `JUNCTION_KEAP_URL`):
   * every URL of that provider's elements is pointed at this origin (a sandbox).
   */
  providerOrigins: Record<string, string>;
  /**
   * The origin browsers and providers reach the hub at, e.g. `https://junction.example.com`:
   * the console's OAuth callback and provider webhook URLs are built on it. Unset: the
   * origin of the request (console) or the listening address (webhooks).
   */
  publicUrl: string | undefined;
  /**
   * A provider's OAuth app, from `JUNCTION_<PROVIDER>_CLIENT_ID` and `_CLIENT_SECRET`: the
   * console prefills the client id and uses the secret when the user leaves it blank.
   */
  providerApps: Record<string, ProviderApp>;
  /** The mail transport of email notifications; undefined when `JUNCTION_SMTP_URL` is unset. */
  mail: MailOptions | undefined;
}

/** Where email notifications are sent from (src/notifications/mail.ts). */
export interface MailOptions {
  /** `smtp://user:password@host:port` or `smtps://…`; its password is a secret. */
  url: string;
  /** The sender of every email unless a `POST /notifications/emails` names another. */
  from: string;
}

export interface ProviderApp {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** The event pipeline's settings (src/events). */
export interface EventOptions {
  /** How often the worker looks for due polls, inbound payloads and deliveries. */
  tickMs: number;
  /** Spec §6.5 as amended: `retry` (default) or `queue` at the first failure. */
  failurePolicy: 'retry' | 'queue';
  /** Retries after the first failed delivery; retry x waits 2^(exponent·x) seconds. */
  retries: number;
  retryExponent: number;
  /** How long one callback may take to answer. */
  timeoutMs: number;
  /** Events older than this are purged. */
  retentionDays: number;
}

export class ConfigError extends Error {}

/** Parses the environment into a `Config`; throws one `ConfigError` listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const providerOrigins = readProviderOrigins(env, problems);
  const providerApps = readProviderApps(env);
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir: v.JUNCTION_DATA_DIR,
    databaseUrl: v.JUNCTION_DATABASE_URL,
    encryptionKey: v.JUNCTION_ENCRYPTION_KEY,
    previousEncryptionKeys: v.JUNCTION_PREVIOUS_ENCRYPTION_KEYS,
    organizationSecret: v.JUNCTION_ORGANIZATION_SECRET,
    userSecret: v.JUNCTION_USER_SECRET,
    logLevel: v.JUNCTION_LOG_LEVEL,
    quotaScale: v.JUNCTION_QUOTA_SCALE,
    shutdownMs: v.JUNCTION_SHUTDOWN_SECONDS * 1000,
    events: {
      tickMs: v.JUNCTION_EVENTS_TICK_MS,
      failurePolicy: v.JUNCTION_EVENT_FAILURE_POLICY,
      retries: v.JUNCTION_EVENT_RETRIES,
      retryExponent: v.JUNCTION_EVENT_RETRY_EXPONENT,
      timeoutMs: v.JUNCTION_EVENT_TIMEOUT_MS,
      retentionDays: v.JUNCTION_EVENT_RETENTION_DAYS,
    },
    providerOrigins,
    publicUrl: v.JUNCTION_PUBLIC_URL === undefined ? undefined : new URL(v.JUNCTION_PUBLIC_URL).origin,
    providerApps,
    mail:
      v.JUNCTION_SMTP_URL === undefined ? undefined : { url: v.JUNCTION_SMTP_URL, from: v.JUNCTION_SMTP_FROM },
  };
}

/** `JUNCTION_<X>_URL` settings that are not provider origins. */
const reserved = new Set([
  'JUNCTION_DATA_DIR',
  'JUNCTION_DATABASE_URL',
  'JUNCTION_PUBLIC_URL',
  'JUNCTION_SMTP_URL',
]);

function readProviderOrigins(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const origins: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^JUNCTION_([A-Z0-9]+)_URL$/.exec(name);
    if (!match?.[1] || reserved.has(name) || !value) continue;
    try {
      origins[match[1].toLowerCase()] = new URL(value).origin;
    } catch {
      problems.push(`${name}: must be an absolute URL such as http://127.0.0.1:8090`);
    }
  }
  return origins;
}

function readProviderApps(env: NodeJS.ProcessEnv): Record<string, ProviderApp> {
  const apps: Record<string, ProviderApp> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^JUNCTION_([A-Z0-9]+)_CLIENT_(ID|SECRET)$/.exec(name);
    if (!match?.[1] || !value) continue;
    const app = (apps[match[1].toLowerCase()] ??= { clientId: undefined, clientSecret: undefined });
    if (match[2] === 'ID') app.clientId = value;
    else app.clientSecret = value;
  }
  return apps;
}
