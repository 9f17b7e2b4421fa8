import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ProviderCaller } from '../hub/provider-call.js';
import type { Instance, InstanceSnapshot } from '../instances/model.js';
import { addHookRemoval, queueHookRemoval } from '../store/hook-removals.js';
import { findHook, saveHookIfInstance, takeHandshakeSecret } from '../store/inbox.js';
import type { Database } from '../store/open.js';
import type { HookRow } from '../store/schema.js';
import { valueAt } from './poller-config.js';
import { readEventSettings } from './settings.js';
import { encodeInstanceId } from './views.js';

export interface HookDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  provider: ProviderCaller;
  /** Origin the provider reaches Junction at. */
  publicUrl(): string;
  /** The instance's credentials sealed, for removing hooks once it is gone. */
  snapshot(instance: Instance): InstanceSnapshot;
}

/** How long a registration's handshakes stay answerable, its verification included. */
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
    if (current) await dropHooks(deps, instance.id);
    return;
  }
  if (current?.status === 'registered') return;
  if (current) await dropHooks(deps, instance.id);
  await register(deps, instance);
}

async function register(deps: HookDeps, instance: Instance): Promise<void> {
  const hooks = instance.element.provider.hooks;
  if (!hooks) return;
  const log = deps.log.child({ instanceId: instance.id, elementKey: instance.element.key });
  const token = randomBytes(24).toString('base64url');
  const url = `${deps.publicUrl()}/elements/api-v2/events/${instance.element.key}/${encodeInstanceId(instance.id)}/${token}`;
  const row: Omit<HookRow, 'handshakeSecret'> = {
    instanceId: instance.id,
    tokenHash: hashToken(token),
    handshakeUntil: new Date(deps.clock.now() + HANDSHAKE_WINDOW_MS),
    hooks: {},
    status: 'pending',
    lastError: null,
    updatedDate: new Date(deps.clock.now()),
  };
  if (!(await saveHookIfInstance(deps.db, row))) return;
  try {
    for (const webhook of instance.element.events.webhooks) {
      const body = JSON.stringify({ [hooks.eventKeyParam]: webhook.eventKey, [hooks.urlParam]: url });
      const response = await send(deps, instance, 'POST', hooks.path, body);
      if (response.status >= 300) throw new Error(`the provider refused hook ${webhook.eventKey} with ${response.status}`);
      const answer = JSON.parse(response.text) as Record<string, unknown>;
      const id = String(answer[hooks.idField]);
      row.hooks[webhook.eventKey] = id;
      if (!(await saveHookIfInstance(deps.db, row))) {
        // Deleted meanwhile: the delete queued the hooks saved before; this one is queued here.
        await addHookRemoval(deps.db, deps.snapshot(instance), { [webhook.eventKey]: id }, new Date(deps.clock.now()));
        return;
      }
      await ensureVerified(deps, instance, id, answer);
    }
    await saveHookIfInstance(deps.db, { ...row, status: 'registered', handshakeUntil: null, updatedDate: new Date(deps.clock.now()) });
    log.info({ hooks: Object.keys(row.hooks).length }, 'provider hooks registered');
  } catch (err) {
    await saveHookIfInstance(deps.db, { ...row, status: 'failed', handshakeUntil: null, lastError: (err as Error).message });
    log.warn({ err }, 'provider hook registration failed');
  }
}

/**
 * Keap runs the handshake during the registration call; a hook whose handshake did not come
 * through stays `Unverified` and gets no batches (keap.md §5.2, §9 item 7). When the handshake
 * reached Junction but its answer was lost, the secret it carried confirms the hook through
 * the delayed verification; when it never came, the provider is asked to run it again. The
 * registration is still pending, so those handshakes are answered; after it, none are.
 */
async function ensureVerified(deps: HookDeps, instance: Instance, id: string, answer: unknown): Promise<void> {
  const hooks = instance.element.provider.hooks;
  const status = hooks?.status;
  if (!hooks || !status) return;
  const verified = (body: unknown) => valueAt(body, status.field) === status.verified;
  const hookPath = `${hooks.path}/${encodeURIComponent(id)}`;
  let current = answer;
  for (let round = 0; round < 2 && !verified(current); round++) {
    const secret = await takeHandshakeSecret(deps.db, instance.id);
    if (secret !== undefined && hooks.delayedVerifyPath) {
      const headers = { [hooks.secretHeader]: secret };
      current = await call(deps, instance, hookPath + hooks.delayedVerifyPath, headers);
      if (verified(current)) break;
    }
    if (!hooks.verifyPath) break;
    current = await call(deps, instance, hookPath + hooks.verifyPath, {});
  }
  await takeHandshakeSecret(deps.db, instance.id);
  if (!verified(current)) {
    const state = String(valueAt(current, status.field));
    throw new Error(`hook ${id} stayed ${state} after the handshake, verify and delayed verify`);
  }
}

async function call(
  deps: HookDeps,
  instance: Instance,
  path: string,
  headers: Record<string, string>,
): Promise<unknown> {
  const url = new URL(instance.configuration[instance.element.provider.baseUrlKey] + path);
  const response = await deps.provider.send(instance, { method: 'POST', url, body: undefined, headers });
  if (response.status >= 300) throw new Error(`the provider answered ${response.status} to POST ${url.pathname}`);
  return JSON.parse(response.text) as unknown;
}

/**
 * Forgets an instance's hooks and queues their removal at the provider, with the credentials
 * the instance holds now; `removeDueHooks` removes them, retrying until the provider agrees.
 */
export async function dropHooks(deps: Pick<HookDeps, 'db' | 'clock'>, instanceId: number): Promise<void> {
  await queueHookRemoval(deps.db, instanceId, new Date(deps.clock.now()));
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
