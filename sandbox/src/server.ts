/**
 * Builds and starts the Keap sandbox: OAuth pages and token endpoint, the API gateway, REST v1
 * and (unless disabled) the test control API, all on one HTTP origin that stands for
 * accounts/signin.infusionsoft.com and api.infusionsoft.com at once.
 */
import type { AddressInfo } from 'node:net';
import formBody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { createContext, type SandboxContext } from './context.js';
import { registerBackoffice } from './backoffice.js';
import { registerControl } from './control.js';
import { sendError } from './errors.js';
import { registerGateway } from './gateway/gateway.js';
import { DEFAULT_QUOTA_LIMITS, type QuotaLimits } from './gateway/quota.js';
import { notFoundPage } from './html.js';
import { registerAuthorize } from './oauth/authorize.js';
import { registerToken } from './oauth/token.js';
import { redactUrl } from './redact.js';
import { HookDispatcher } from './hooks/dispatcher.js';
import { HookRegistry } from './hooks/registry.js';
import { registerHookControls, registerHooks } from './hooks/routes.js';
import { REST_V1_PREFIX, registerRestV1 } from './rest/routes.js';

export interface SandboxOptions {
  /** 0 picks a free port. Default 8090. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Skip the sign-in and consent pages: a valid authorize request redirects with a code. */
  autoConsent?: boolean;
  /** Extra callbacks to register next to the two default ones. */
  redirectUris?: string[];
  /** Mount `/_control` (default true). */
  control?: boolean;
  /** Epoch-ms clock behind every expiry, quota window and seeded date. Default Date.now. */
  clock?: () => number;
  /** Seed for the generated tenant data. Default 1. */
  seed?: number;
  /** Access-token lifetime. Default 86400 (24 h, keap.md §2.5). */
  accessTokenSeconds?: number;
  /** Refresh-token lifetime. Default 45 days. */
  refreshTokenSeconds?: number;
  /** Authorization-code lifetime. Default 600 (10 min). */
  codeSeconds?: number;
  /** Override Keap's quotas, e.g. to reach a limit in a test without thousands of calls. */
  quotaLimits?: Partial<QuotaLimits>;
  /** Wait before a REST-hook batch is sent. Default 1000 (Keap: 30–60 s). */
  hookDelayMs?: number;
  /** Waits before a failed hook batch's 2nd, 3rd and 4th tries. Default Keap's 45 s, 5 min, 30 min. */
  hookRetryDelaysMs?: number[];
  /** How long a hook receiver may take to answer. Default 30 s. */
  hookTimeoutMs?: number;
  /** Log requests (pino, secrets redacted). Default false. */
  logger?: boolean;
  /** Where log lines go when `logger` is on; default stdout. Tests capture them here. */
  logStream?: { write(line: string): void };
}

export interface RunningSandbox {
  /** Origin, e.g. `http://127.0.0.1:54321`. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8090;
export const DEFAULT_HOST = '127.0.0.1';

/** Starts a sandbox and resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { app } = await buildSandbox(options);
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });

  const { port } = app.server.address() as AddressInfo;
  return { url: originOf(host, port), close: () => app.close() };
}

/** The configured Fastify app and its state, not yet listening (for `inject`-style use). */
export async function buildSandbox(
  options: SandboxOptions = {},
): Promise<{ app: FastifyInstance; context: SandboxContext }> {
  const context = createContext({
    clock: options.clock ?? Date.now,
    seed: options.seed ?? 1,
    redirectUris: options.redirectUris ?? [],
    autoConsent: options.autoConsent ?? false,
    lifetimes: {
      accessTokenSeconds: options.accessTokenSeconds ?? 86_400,
      refreshTokenSeconds: options.refreshTokenSeconds ?? 45 * 86_400,
      codeSeconds: options.codeSeconds ?? 600,
    },
    quotaLimits: { ...DEFAULT_QUOTA_LIMITS, ...options.quotaLimits },
  });

  const app = Fastify({
    logger: options.logger ? loggerOptions(options.logStream) : false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  await app.register(formBody);
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).type('text/html; charset=utf-8').send(notFoundPage()),
  );

  registerGateway(app, context);
  registerAuthorize(app, context);
  registerToken(app, context);
  await registerRestV1(app, context);
  const hooks = new HookRegistry(options.hookTimeoutMs ?? 30_000);
  const dispatcher = new HookDispatcher(hooks, {
    delayMs: options.hookDelayMs ?? 1000,
    retryDelaysMs: options.hookRetryDelaysMs ?? [45_000, 300_000, 1_800_000],
    timeoutMs: options.hookTimeoutMs ?? 30_000,
    now: context.clock.now,
    apiUrl: (noun, id) => `https://api.infusionsoft.com${REST_V1_PREFIX}/${noun}s/${id}`,
  });
  context.changes.listen((change) => dispatcher.record(change));
  app.addHook('onClose', async () => dispatcher.stop());
  await app.register(async (api) => registerHooks(api, hooks), { prefix: REST_V1_PREFIX });
  if (options.control ?? true) {
    registerControl(app, context);
    registerBackoffice(app, context);
    registerHookControls(app, hooks, dispatcher);
  }

  await app.ready();
  return { app, context };
}

function loggerOptions(stream: SandboxOptions['logStream']) {
  return {
    level: 'info',
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
      }),
    },
  };
}

function originOf(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const hostPart = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${hostPart}:${port}`;
}
