import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance } from '../instances/model.js';
import { deleteHook, findHook, saveHook } from '../store/inbox.js';
import type { Database } from '../store/open.js';
import type { HookRow } from '../store/schema.js';
import { readEventSettings } from './settings.js';
import { encodeInstanceId } from './views.js';

export interface HookDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  provider: ProviderCaller;
  /** Origin the provider reaches Junction at. */
  publicUrl(): string;
}

/**
 * How long a registration's handshake stays answerable.
 * TODO(#5): answer delayedVerify ourselves when a hook stays Unverified — remove when a provider
 * verifies only that way.
 */
const HANDSHAKE_WINDOW_MS = 60_000;

/** Whether the instance wants provider hooks now. */
export function wantsHooks(instance: Instance): boolean {
  const settings = readEventSettings(instance.element, instance.configuration);
  return settings.enabled && settings.mechanism === 'webhook' && !instance.disabled
    && !!instance.element.provider.hooks && instance.element.events.webhooks.length > 0;
}

/**
 * Brings the provider's hooks for an instance in line with its configuration: registers them
 * (once) when it wants webhooks, removes them when it does not. The handshake window opens
 * before the first registration call, because Keap verifies during that call.
 */
export async function reconcileHooks(deps: HookDeps, instance: Instance): Promise<void> {
  const current = await findHook(deps.db, instance.id);
  if (!wantsHooks(instance)) {
    if (current) await unregisterHooks(deps, instance, current);
    return;
  }
  if (current?.status === 'registered') return;
  if (current) await unregisterHooks(deps, instance, current);
  await register(deps, instance);
}

async function register(deps: HookDeps, instance: Instance): Promise<void> {
  const hooks = instance.element.provider.hooks;
  if (!hooks) return;
  const log = deps.log.child({ instanceId: instance.id, elementKey: instance.element.key });
  const token = randomBytes(24).toString('base64url');
  const url = `${deps.publicUrl()}/elements/api-v2/events/${instance.element.key}/${encodeInstanceId(instance.id)}/${token}`;
  const row: HookRow = {
    instanceId: instance.id,
    tokenHash: hashToken(token),
    handshakeUntil: new Date(deps.clock.now() + HANDSHAKE_WINDOW_MS),
    hooks: {},
    status: 'pending',
    lastError: null,
    updatedDate: new Date(deps.clock.now()),
  };
  await saveHook(deps.db, row);
  try {
    for (const webhook of instance.element.events.webhooks) {
      const body = JSON.stringify({ [hooks.eventKeyParam]: webhook.eventKey, [hooks.urlParam]: url });
      const response = await send(deps, instance, 'POST', hooks.path, body);
      if (response.status >= 300) throw new Error(`the provider refused hook ${webhook.eventKey} with ${response.status}`);
      const id = (JSON.parse(response.text) as Record<string, unknown>)[hooks.idField];
      row.hooks[webhook.eventKey] = String(id);
      await saveHook(deps.db, row);
    }
    await saveHook(deps.db, { ...row, status: 'registered', handshakeUntil: null, updatedDate: new Date(deps.clock.now()) });
    log.info({ hooks: Object.keys(row.hooks).length }, 'provider hooks registered');
  } catch (err) {
    await saveHook(deps.db, { ...row, status: 'failed', handshakeUntil: null, lastError: (err as Error).message });
    log.warn({ err }, 'provider hook registration failed');
  }
}

/** Removes an instance's hooks at the provider (best effort) and forgets them. */
export async function unregisterHooks(deps: HookDeps, instance: Instance, row: HookRow): Promise<void> {
  const hooks = instance.element.provider.hooks;
  for (const id of Object.values(row.hooks)) {
    if (!hooks) break;
    try {
      await send(deps, instance, 'DELETE', `${hooks.path}/${encodeURIComponent(id)}`, undefined);
    } catch (err) {
      deps.log.warn({ err, instanceId: instance.id }, 'provider hook removal failed');
    }
  }
  await deleteHook(deps.db, instance.id);
}

function send(deps: HookDeps, instance: Instance, method: string, path: string, body: string | undefined) {
  const url = new URL(instance.configuration[instance.element.provider.baseUrlKey] + path);
  return deps.provider.send(instance, { method, url, body });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares a presented URL token with the stored hash in constant time. */
export function tokenMatches(row: HookRow, token: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(row.tokenHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Whether a provider's `X-Hook-Secret` handshake may be answered now. */
export function handshakeOpen(row: HookRow, now: number): boolean {
  return row.status === 'pending' && row.handshakeUntil !== null && row.handshakeUntil.getTime() > now;
}

export { findHook };
