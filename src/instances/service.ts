import { z } from 'zod';
import type { Clock } from '../clock.js';
import { hashSecret, type Cipher } from '../crypto/cipher.js';
import { newBase64Secret } from '../crypto/tokens.js';
import type { Catalog } from '../elements/catalog.js';
import type { Element } from '../elements/schema.js';
import { eventSettingProblems } from '../events/settings-check.js';
import { apiError } from '../http/errors.js';
import type { Credentials } from '../oauth/credentials.js';
import type { Database } from '../store/open.js';
import * as store from '../store/instances.js';
import type { Principal } from '../store/organizations.js';
import {
  MASK,
  missingRequired,
  normalizeValues,
  splitSecrets,
  stripHtml,
  withDefaults,
} from './configuration.js';
import { fromRow, fromSnapshot, sealSecrets, secretContext, type Instance, type InstanceSnapshot } from './model.js';

/** The body of `POST /instances` and `PUT|PATCH /instances/{id}` (spec §3.2). */
export const instanceBody = z
  .object({
    element: z
      .object({ key: z.string().optional(), id: z.union([z.number(), z.string()]).optional() })
      .passthrough()
      .optional(),
    providerData: z.record(z.string(), z.unknown()).optional(),
    configuration: z.record(z.string(), z.unknown()).optional(),
    tags: z.array(z.string()).optional(),
    name: z.string().optional(),
    externalAuthentication: z.enum(['none', 'initial']).optional(),
    cachingEnabled: z.boolean().optional(),
    traceLoggingEnabled: z.boolean().optional(),
  })
  .passthrough();
export type InstanceBody = z.infer<typeof instanceBody>;

/**
 * Told about every change after it is stored: `before` is absent on create, `after` on delete.
 * Listeners run in the background of the request; they must not throw.
 */
export type InstanceListener = (change: { before?: Instance; after?: Instance }) => void;

export interface InstanceFilter {
  tags?: string[] | undefined;
  searchText?: string | undefined;
}

/**
 * Provisions and manages element instances. Every change goes through here, so the cache of
 * opened instances that hub calls read is invalidated in one place.
 */
export class InstanceService {
  private readonly byToken = new Map<string, Instance>();
  /** Counts evictions, so a lookup that raced one does not cache what it read before it. */
  private evictions = 0;
  private readonly listeners: InstanceListener[] = [];

  constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    private readonly cipher: Cipher,
    private readonly credentials: Credentials,
    private readonly clock: Clock,
  ) {}

  /** Provisions an instance: validate, exchange the code, then store (spec §3.2). */
  async create(principal: Principal, body: InstanceBody, elementKeyOrId?: string): Promise<Instance> {
    const element = this.resolveElement(body, elementKeyOrId);
    const supplied = normalizeValues(body.configuration ?? {});
    checkSupplied(element, supplied);
    const configuration = withDefaults(element, supplied);
    const missing = missingRequired(element, configuration);
    if (missing.length > 0) throw apiError('instance.configuration-missing', { keys: missing });

    const tokens = await this.authorize(element, configuration, body);
    Object.assign(configuration, tokens);

    const name = stripHtml(body.name ?? '') || element.key;
    const id = await store.nextInstanceId(this.db);
    const token = newBase64Secret();
    const { plain, secret } = splitSecrets(element, configuration);
    const row = await store.insertInstance(this.db, {
      id,
      organizationId: principal.organization.id,
      userId: principal.user.id,
      elementKey: element.key,
      name,
      tags: cleanTags(body.tags, name),
      configuration: plain,
      secrets: sealSecrets(id, secret, this.cipher),
      tokenHash: hashSecret(token),
      tokenSecret: this.cipher.seal(token, secretContext(id, 'token')),
      externalAuthentication: body.externalAuthentication ?? 'none',
      cachingEnabled: body.cachingEnabled ?? false,
      traceLoggingEnabled: body.traceLoggingEnabled ?? false,
      createdDate: new Date(this.clock.now()),
      updatedDate: new Date(this.clock.now()),
    });
    return this.changed(undefined, fromRow(row, this.catalog, this.cipher));
  }

  async get(principal: Principal, id: number): Promise<Instance> {
    const row = await store.findInstance(this.db, principal.organization.id, id);
    if (!row) throw apiError('instance.not-found', { id: String(id) });
    return fromRow(row, this.catalog, this.cipher);
  }

  async list(principal: Principal, filter: InstanceFilter): Promise<Instance[]> {
    const rows = await store.listInstances(this.db, principal.organization.id);
    const text = filter.searchText?.toLowerCase();
    return rows
      .filter((r) => !filter.tags?.length || filter.tags.every((t) => r.tags.includes(t)))
      .filter((r) => !text || `${r.name} ${r.elementKey}`.toLowerCase().includes(text))
      .map((r) => fromRow(r, this.catalog, this.cipher));
  }

  /**
   * `PATCH` merges configuration and replaces tags and name when given; `PUT` replaces the
   * configuration (defaults applied again). Either re-provisions in place when the body
   * carries a new `providerData.code`, which also makes the instance valid again. A
   * re-authentication (`PUT ?reAuthenticate=true`, or a `PUT` whose body brings a code but no
   * configuration) keeps every stored entry the body does not give — events, callback URL,
   * signature key and the app's secrets — as the error that asks for it promises (spec §3.2).
   * A masked value sent back keeps the stored secret. Provider tokens are written back only
   * if no refresh replaced them meanwhile (`credentialsVersion`); otherwise the update is redone.
   */
  async update(
    principal: Principal,
    id: number,
    body: InstanceBody,
    mode: 'patch' | 'put',
    options: { reAuthenticate?: boolean } = {},
  ): Promise<Instance> {
    const first = await this.get(principal, id);
    const element = body.element ? this.resolveElement(body) : first.element;
    const reprovision = typeof body.providerData?.['code'] === 'string';
    const reAuthenticate =
      mode === 'put' && (options.reAuthenticate === true || (reprovision && !body.configuration));
    const merge = reAuthenticate ? 'patch' : mode;
    const tokens = reprovision
      ? await this.authorize(element, this.merged(first, element, body, merge), body)
      : undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const current = attempt === 1 ? first : await this.get(principal, id);
      const configuration = { ...this.merged(current, element, body, merge), ...tokens };
      const row = await this.write(principal.organization.id, current, element, configuration, body, reprovision);
      if (row) {
        this.forget(current.token);
        return this.changed(current, fromRow(row, this.catalog, this.cipher));
      }
    }
    throw new Error(`instance ${id} kept changing during an update`);
  }

  /** The configuration an update asks for, before any new tokens. */
  private merged(current: Instance, element: Element, body: InstanceBody, mode: 'patch' | 'put') {
    const supplied = unmask(normalizeValues(body.configuration ?? {}), current.configuration);
    checkSupplied(element, supplied);
    const base = mode === 'put' ? withDefaults(element, {}) : current.configuration;
    const configuration = { ...base, ...keepProviderTokens(current.configuration), ...supplied };
    resetNulls(element, configuration, body.configuration ?? {});
    if (mode === 'put') {
      const missing = missingRequired(element, configuration);
      if (missing.length > 0) throw apiError('instance.configuration-missing', { keys: missing });
    }
    return configuration;
  }

  private async write(
    organizationId: number,
    current: Instance,
    element: Element,
    configuration: Record<string, string>,
    body: InstanceBody,
    reprovision: boolean,
  ) {
    const name = body.name !== undefined ? stripHtml(body.name) || current.name : current.name;
    const { plain, secret } = splitSecrets(element, configuration);
    const changes: store.InstanceChanges = {
      elementKey: element.key,
      name,
      tags: body.tags !== undefined ? cleanTags(body.tags, name) : current.tags,
      configuration: plain,
      secrets: sealSecrets(current.id, secret, this.cipher),
      ...(reprovision ? { valid: true } : {}),
      ...(body.cachingEnabled !== undefined ? { cachingEnabled: body.cachingEnabled } : {}),
      ...(body.traceLoggingEnabled !== undefined
        ? { traceLoggingEnabled: body.traceLoggingEnabled }
        : {}),
    };
    // A new grant supersedes whatever a refresh did; otherwise keep the stored tokens' fence.
    const fence = reprovision ? 'replace' : current.credentialsVersion;
    const row = await store.updateInstance(this.db, organizationId, current.id, changes, fence);
    if (!row && !(await store.findInstance(this.db, organizationId, current.id))) {
      throw apiError('instance.not-found', { id: String(current.id) });
    }
    return row;
  }

  /**
   * Sets configuration entries, as `PATCH /instances/{id}/configuration/{configId}` does; `null`
   * resets an entry to its default.
   */
  async setConfiguration(
    principal: Principal,
    id: number,
    entries: Record<string, string | null>,
  ): Promise<Instance> {
    return this.update(principal, id, { configuration: entries }, 'patch');
  }

  async setDisabled(principal: Principal, id: number, disabled: boolean): Promise<Instance> {
    const current = await this.get(principal, id);
    const row = await store.updateInstance(this.db, principal.organization.id, id, { disabled });
    if (!row) throw apiError('instance.not-found', { id: String(id) });
    this.forget(current.token);
    return this.changed(current, fromRow(row, this.catalog, this.cipher));
  }

  async delete(principal: Principal, id: number): Promise<void> {
    const row = await store.deleteInstance(this.db, principal.organization.id, id, new Date(this.clock.now()));
    if (!row) throw apiError('instance.not-found', { id: String(id) });
    const deleted = fromRow(row, this.catalog, this.cipher);
    this.forget(deleted.token);
    this.changed(deleted, undefined);
  }

  /** Any organization's instance by id, for background work; undefined once deleted. */
  async open(id: number): Promise<Instance | undefined> {
    const row = await store.findInstanceById(this.db, id);
    return row ? fromRow(row, this.catalog, this.cipher) : undefined;
  }

  /** An instance's credentials as the store seals them, to act for it after it is gone. */
  snapshot(instance: Instance): InstanceSnapshot {
    const { plain, secret } = splitSecrets(instance.element, instance.configuration);
    return {
      instanceId: instance.id,
      elementKey: instance.element.key,
      configuration: plain,
      secrets: sealSecrets(instance.id, secret, this.cipher),
      credentialsVersion: instance.credentialsVersion,
    };
  }

  /** The instance a snapshot describes, able to call its provider (see `fromSnapshot`). */
  openSnapshot(snapshot: InstanceSnapshot): Instance {
    return fromSnapshot(snapshot, this.catalog, this.cipher);
  }

  /** Registers a listener for every stored change (see `InstanceListener`). */
  onChange(listener: InstanceListener): void {
    this.listeners.push(listener);
  }

  private changed<T extends Instance | undefined>(before: Instance | undefined, after: T): T {
    for (const listener of this.listeners) {
      listener({ ...(before ? { before } : {}), ...(after ? { after } : {}) });
    }
    return after;
  }

  /** Makes hub calls see an instance's newest state (e.g. tokens from a refresh). */
  remember(instance: Instance): void {
    const hash = hashSecret(instance.token);
    const cached = this.byToken.get(hash);
    if (!cached || cached.credentialsVersion <= instance.credentialsVersion) {
      this.byToken.set(hash, instance);
    }
  }

  /** The instance an Element token selects, from memory after the first call. */
  async forToken(token: string): Promise<Instance | undefined> {
    const hash = hashSecret(token);
    const cached = this.byToken.get(hash);
    if (cached) return cached;
    const evictions = this.evictions;
    const row = await store.findInstanceByTokenHash(this.db, hash);
    if (!row) return undefined;
    const instance = fromRow(row, this.catalog, this.cipher);
    if (this.evictions === evictions) this.byToken.set(hash, instance);
    return instance;
  }

  /** Drops the cached state of instance `id`: it changed, maybe in another process. */
  evict(id: number): void {
    this.evictions++;
    for (const [hash, instance] of this.byToken) {
      if (instance.id === id) this.byToken.delete(hash);
    }
  }

  /** Drops every cached instance: changes may have gone unnoticed. */
  evictAll(): void {
    this.evictions++;
    this.byToken.clear();
  }

  private forget(token: string): void {
    this.byToken.delete(hashSecret(token));
  }

  private resolveElement(body: InstanceBody, keyOrId?: string): Element {
    const wanted = keyOrId ?? body.element?.key ?? body.element?.id;
    if (wanted === undefined || wanted === '') {
      throw apiError('request.invalid', {
        detail: 'element is missing; expected "element": {"key": "<element key>"} or {"id": <id>}',
      });
    }
    const element = this.catalog.find(wanted);
    if (!element) {
      const key = String(wanted);
      throw apiError('element.not-found', { key, suggestion: this.catalog.suggest(key) });
    }
    return element;
  }

  private async authorize(
    element: Element,
    configuration: Record<string, string>,
    body: InstanceBody,
  ): Promise<Record<string, string>> {
    const code = body.providerData?.['code'];
    if (body.externalAuthentication === 'initial') {
      return this.credentials.adoptRefreshToken(element, configuration);
    }
    if (typeof code !== 'string' || code === '') throw apiError('instance.code-missing');
    return this.credentials.exchange(element, configuration, code);
  }
}

function checkSupplied(element: Element, supplied: Record<string, string>): void {
  const problems = eventSettingProblems(element, supplied);
  if (problems.length > 0) throw apiError('instance.configuration-invalid', { problems });
}

/**
 * A key sent as `null` goes back to the element's default, or away when it has none. Provider
 * tokens are Junction's and are not reset this way.
 */
function resetNulls(element: Element, configuration: Record<string, string>, input: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(input)) {
    if (value !== null || key.startsWith('oauth.user.')) continue;
    const definition = element.configuration.find((c) => c.key === key);
    if (definition?.defaultValue !== undefined) configuration[key] = definition.defaultValue;
    else delete configuration[key];
  }
}

function cleanTags(tags: string[] | undefined, name: string): string[] {
  const clean = (tags ?? []).map(stripHtml).filter((t) => t !== '');
  return clean.length > 0 ? [...new Set(clean)] : [name];
}

/** A masked value sent back by a client means "keep what is stored". */
function unmask(supplied: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(supplied)) {
    if (value !== MASK) out[key] = value;
    else if (stored[key] !== undefined) out[key] = stored[key];
  }
  return out;
}

/** Provider tokens are Junction's to manage; a client's configuration never replaces them. */
function keepProviderTokens(configuration: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (key.startsWith('oauth.user.')) kept[key] = value;
  }
  return kept;
}
