import { providerError, type ApiError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import { fillPath, type MatchedOperation } from './match.js';
import { dropNulls } from './nulls.js';
import { encodeToken, hasNextPage, readPageRequest, type PageRequest } from './paging.js';
import type { ProviderCaller } from './provider-call.js';
import { project, requestedFields, vendorQuery } from './query.js';
import { providerMessage, type VendorResponse } from './vendor.js';

export interface HubCall {
  instance: Instance;
  matched: MatchedOperation;
  query: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Where a hub call's answer goes: Fastify's reply for HTTP calls, or a recorder when Junction
 * calls a hub API itself as an instance (the event poller).
 */
export interface HubReply {
  header(name: string, value: string): unknown;
  code(status: number): { send(payload?: unknown): unknown };
}

/** Vendor statuses passed on as they are; other 4xx become 400 and 5xx become 502. */
const passedOn = new Set([400, 401, 403, 404, 405, 409, 415, 429]);

/**
 * Runs one hub call: one provider request, then the Open Connectors conventions around the
 * provider's own records (paging headers, null filtering, field selection).
 */
export async function proxy(provider: ProviderCaller, call: HubCall, reply: HubReply): Promise<unknown> {
  const { instance, matched, query } = call;
  const { operation, resource } = matched;
  const config = instance.configuration;
  const fields = requestedFields(query);
  const url = new URL(config[instance.element.provider.baseUrlKey] + fillPath(operation.vendorPath, matched.params));
  for (const [name, value] of Object.entries(vendorQuery(operation, query, resource.name))) {
    url.searchParams.set(name, value);
  }
  const page = operation.kind === 'list' ? readPageRequest(query, maxPageSize(config)) : undefined;
  if (page) {
    const { limitParam, offsetParam } = instance.element.provider.paging;
    url.searchParams.set(limitParam, String(page.pageSize));
    url.searchParams.set(offsetParam, String((page.page - 1) * page.pageSize));
  }

  const method = operation.vendorMethod ?? operation.method;
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const response = await provider.send(instance, { method, url, body });
  if (response.status >= 300) throw vendorFailure(response, method, url);

  reply.header('Elements-Element-Instance-Id', String(instance.id));
  if (response.text.trim() === '') return reply.code(response.status).send();
  let parsed = parseJson(response, method, url);
  if (config['filter.response.nulls'] !== 'false') parsed = dropNulls(parsed);
  if (!page) return reply.code(response.status).send(fields ? project(parsed, fields) : parsed);
  return sendPage(reply, instance, operation.listField, parsed, page, fields);
}

function sendPage(
  reply: HubReply,
  instance: Instance,
  listField: string | undefined,
  parsed: unknown,
  page: PageRequest,
  fields: string[] | undefined,
): unknown {
  const envelope = (parsed ?? {}) as Record<string, unknown>;
  const listed = Array.isArray(parsed) ? parsed : envelope[listField ?? ''];
  const records = Array.isArray(listed) ? (listed as unknown[]) : [];
  const { totalField } = instance.element.provider.paging;
  const totalValue = totalField ? envelope[totalField] : undefined;
  const total = typeof totalValue === 'number' ? totalValue : undefined;
  reply.header('Elements-Returned-Count', String(records.length));
  if (total !== undefined) reply.header('Elements-Total-Count', String(total));
  if (hasNextPage(page, records.length, total)) {
    reply.header('Elements-Next-Page-Token', encodeToken(page.page + 1, page.pageSize));
  }
  if (page.warning) reply.header('Elements-Error', page.warning);
  return reply.code(200).send(fields ? records.map((r) => project(r, fields)) : records);
}

function maxPageSize(config: Record<string, string>): number {
  const max = Number(config['pagination.max']);
  return Number.isSafeInteger(max) && max > 0 ? max : 100;
}

function parseJson(response: VendorResponse, method: string, url: URL): unknown {
  try {
    return JSON.parse(response.text);
  } catch (err) {
    throw providerError(
      'provider.not-json',
      { status: response.status, method, url: url.pathname, cause: err },
      { method, path: url.pathname },
    );
  }
}

function vendorFailure(response: VendorResponse, method: string, url: URL): ApiError {
  const message = providerMessage(response.text);
  const evidence = {
    status: response.status,
    method,
    url: url.pathname,
    ...(message !== undefined ? { message } : {}),
  };
  const params = { status: response.status, method, path: url.pathname };
  if (response.status >= 500) return providerError('provider.failed', evidence, params);
  const httpStatus = passedOn.has(response.status) ? response.status : 400;
  const error = providerError('provider.refused', { ...evidence, httpStatus }, params);
  const retryAfter = response.headers['retry-after'];
  if (typeof retryAfter === 'string') error.headers['retry-after'] = retryAfter;
  return error;
}
