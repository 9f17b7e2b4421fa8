import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FAILURE_POLICIES, FAILURE_POLICY_KEY } from '../events/account-policy.js';
import { apiError } from '../http/errors.js';
import type { App } from '../http/server.js';
import { readAccountSettings, writeAccountSettings } from '../store/accounts.js';
import { principalOf, type Services } from './context.js';

/** Every account setting Junction knows, with the values it accepts. */
const KNOWN: Record<string, readonly string[]> = { [FAILURE_POLICY_KEY]: FAILURE_POLICIES };
const accountParams = z.object({ accountId: z.string() });
const tags = ['accounts'];

/**
 * Account settings (spec §6.5). An account is an organization: each organization is its own
 * default account, and its id (the organization id, also `accountId` in event notifications) is
 * the only one its callers may name. `/accounts/settings` is the caller's account.
 * `POST` and `PATCH` both merge the keys given; a key set to null returns to the hub's default.
 */
export function accountRoutes(app: App, services: Services): void {
  const read = async (request: FastifyRequest, accountId: string | undefined) => {
    const own = (await principalOf(services, request)).organization.id;
    if (accountId !== undefined && accountId !== String(own)) {
      throw apiError('account.not-found', { id: accountId, own });
    }
    return own;
  };
  const view = (stored: Record<string, string>) => ({
    [FAILURE_POLICY_KEY]: stored[FAILURE_POLICY_KEY] ?? services.events.defaultFailurePolicy,
  });
  const get = async (request: FastifyRequest, accountId?: string) =>
    view(await readAccountSettings(services.db, await read(request, accountId)));
  const write = async (request: FastifyRequest, accountId?: string) => {
    const own = await read(request, accountId);
    const changes = settingChanges(request.body);
    return view(await writeAccountSettings(services.db, own, changes, new Date(services.clock.now())));
  };

  const one = '/accounts/:accountId/settings';
  const mine = '/accounts/settings';
  const params = { params: accountParams };
  app.get(mine, { schema: { tags, summary: "Read your account's settings" } }, (request) => get(request));
  app.get(one, { schema: { tags, summary: "Read an account's settings", ...params } }, (request) =>
    get(request, request.params.accountId),
  );
  for (const method of ['post', 'patch'] as const) {
    app[method](mine, { schema: { tags, summary: "Change your account's settings" } }, (request) => write(request));
    app[method](one, { schema: { tags, summary: "Change an account's settings", ...params } }, (request) =>
      write(request, request.params.accountId),
    );
  }
}

/** The settings a request body changes, each checked against `KNOWN`. */
function settingChanges(body: unknown): Record<string, string | null> {
  const expected = Object.entries(KNOWN)
    .map(([key, values]) => `${key} (${values.join(' or ')})`)
    .join(', ');
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0) {
    throw invalid(`The body sets no account setting; expected a JSON object with ${expected}`);
  }
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(body)) {
    const accepted = KNOWN[key];
    if (!accepted) throw invalid(`'${key}' is not an account setting; expected ${expected}`);
    if (value !== null && !accepted.includes(String(value))) {
      const expectedValues = `${accepted.join(' or ')}, or null for the default`;
      throw invalid(`${key} cannot be ${JSON.stringify(value)}; expected ${expectedValues}`);
    }
    changes[key] = value === null ? null : String(value);
  }
  return changes;
}

function invalid(detail: string) {
  return apiError('account.setting-invalid', { detail });
}
