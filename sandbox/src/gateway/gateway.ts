/**
 * The API gateway in front of the REST API (keap.md §4, §6). For every request under `/crm/`
 * it runs, in order, what Keap's front ends do before the application sees a call:
 *
 * 1. a GET carrying a body is refused by the outer front end with an HTML 400;
 * 2. scripted faults from the control API (these apply to `/token` and other paths too);
 * 3. the access token is checked (Bearer header or `?access_token=`), 401 fault otherwise;
 * 4. the call is counted against the client's and tenant's quotas, 429 when one is spent.
 *
 * Unknown paths are answered only after these steps, so they need a token and cost quota.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.js';
import { badRequestPage, notFoundPage } from '../html.js';
import type { FaultRule } from './faults.js';
import { injectedFaultBody, invalidTokenFault, quotaFault, spikeFault } from './responses.js';

export const API_PREFIX = '/crm/';
export const CONTROL_PREFIX = '/_control';

export function registerGateway(app: FastifyInstance, context: SandboxContext): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return;

    if (request.method === 'GET' && hasBody(request)) {
      return reply.code(400).type('text/html; charset=UTF-8').send(badRequestPage());
    }

    const onApi = path.startsWith(API_PREFIX);
    if (onApi) {
      context.stats.apiRequests += 1;
      reply.header('x-request-id', randomUUID());
    }

    const fault = context.faults.take(request.method, path);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined) return sendFault(reply, fault, fault.status);
    }

    if (onApi) return admit(context, request, reply);
  });
}

/** Token check and quota accounting for one API call; replies itself when it refuses. */
function admit(context: SandboxContext, request: FastifyRequest, reply: FastifyReply) {
  const token = context.grants.authenticate(bearerToken(request));
  if (!token) return reply.code(401).send(invalidTokenFault());

  const verdict = context.quota.consume(token.grant.clientId, context.tenant);
  reply.headers(verdict.headers);
  if (!verdict.violation) return undefined;

  const { kind, retryAfterSeconds } = verdict.violation;
  context.stats.quotaRefusals[kind] += 1;
  const body =
    kind === 'spike'
      ? spikeFault(context.quota.limits.perSecond)
      : quotaFault(kind === 'tenant' ? context.tenant : token.grant.clientId);
  return reply.code(429).header('retry-after', String(retryAfterSeconds)).send(body);
}

function sendFault(reply: FastifyReply, fault: FaultRule, status: number) {
  if (fault.retryAfter !== undefined) reply.header('retry-after', String(fault.retryAfter));
  if (fault.body !== undefined) return reply.code(status).send(fault.body);
  if (status === 404) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
  return reply.code(status).send(injectedFaultBody(status));
}

/**
 * Keap accepts the token as a Bearer header or, as many older clients send it, as an
 * `access_token` query parameter (keap.md §2.7). The header wins when both are present.
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (match?.[1]) return match[1];

  const query = request.query as Record<string, unknown>;
  const fromQuery = query.access_token;
  return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

export function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end < 0 ? url : url.slice(0, end);
}
