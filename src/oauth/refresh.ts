import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Cipher } from '../crypto/cipher.js';
import type { Catalog } from '../elements/catalog.js';
import { ApiError, apiError, providerError } from '../http/errors.js';
import { splitSecrets } from '../instances/configuration.js';
import { fromRow, sealSecrets, type Instance } from '../instances/model.js';
import * as store from '../store/credentials.js';
import type { Database, Store } from '../store/open.js';
import type { InstanceRow } from '../store/schema.js';
import { grantEntries, tokenEndpoint } from './credentials.js';
import { accessTokenDue, idleDue } from './schedule.js';
import { refreshGrant, tokenFailure, type TokenGrant } from './token-endpoint.js';

/** Why a refresh is asked for: the token is due, the provider said 401, or the grant is idle. */
export type RefreshReason = 'due' | 'rejected' | 'idle';

/** Token requests per refresh when the endpoint fails transiently, and the first backoff. */
const ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 500;

export interface RefresherOptions {
  store: Pick<Store, 'db' | 'kind'>;
  catalog: Catalog;
  cipher: Cipher;
  clock: Clock;
  logger: Logger;
  /** Called with every instance state a refresh produced, so caches see new tokens. */
  publish: (instance: Instance) => void;
  /** Counts each refresh that reached the token endpoint, by element and outcome. */
  count?: (element: string, outcome: 'ok' | 'refused' | 'failed') => void;
  /**
   * Told, inside the transaction that marked it invalid, of an instance whose grant the provider
   * refused: how the app hears it must re-authenticate (the event pipeline's outbox), without
   * this module knowing more of events than this one call.
   */
  invalidated?: (db: Database, instance: Instance) => Promise<void>;
}

type Outcome = { instance: Instance } | { error: ApiError; instance?: Instance };

/**
 * Refreshes provider tokens exactly once per expiry. Callers in this process share one refresh
 * per instance (single flight); processes share the store, where the row lock and the
 * `credentials_version` fence let one spend the refresh token while the others adopt its
 * result. New tokens are committed before anyone uses them.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<number, Promise<Instance>>();
  /** The newest credentials this process has seen per instance. */
  private readonly latest = new Map<number, Instance>();

  constructor(private readonly options: RefresherOptions) {}

  /** The instance with an access token fit to use: refreshed first when it is due. */
  async fresh(instance: Instance): Promise<Instance> {
    const current = this.newest(instance);
    if (!accessTokenDue(current.configuration, this.options.clock.now())) return current;
    return this.refresh(current, 'due');
  }

  /**
   * A refresh shared with every concurrent caller. A caller holding tokens older than ones
   * already obtained gets those instead of spending the refresh token again.
   */
  refresh(instance: Instance, reason: RefreshReason): Promise<Instance> {
    const newer = this.newest(instance);
    if (newer !== instance) return Promise.resolve(newer);
    const running = this.inFlight.get(instance.id);
    if (running) return running;
    const flight = this.run(instance, reason).finally(() => this.inFlight.delete(instance.id));
    this.inFlight.set(instance.id, flight);
    return flight;
  }

  /** Refreshes the instance with this id if still due for `reason` (the idle sweep). */
  async refreshById(id: number, reason: RefreshReason): Promise<Instance | undefined> {
    const row = await store.findById(this.options.store.db, id);
    return row ? this.refresh(this.open(row), reason) : undefined;
  }

  /** Drops what this process remembers of an instance (deleted or re-provisioned). */
  forget(id: number): void {
    this.latest.delete(id);
  }

  private newest(instance: Instance): Instance {
    const known = this.latest.get(instance.id);
    return known && known.credentialsVersion > instance.credentialsVersion ? known : instance;
  }

  private async run(instance: Instance, reason: RefreshReason): Promise<Instance> {
    const outcome = await store.withLockedInstance(this.options.store, instance.id, (row, db) =>
      this.underLock(instance, reason, row, db),
    );
    if (outcome.instance) this.remember(outcome.instance);
    if ('error' in outcome) throw outcome.error;
    return outcome.instance;
  }

  /** Decides, with the row locked, whether to spend the refresh token or adopt what is stored. */
  private async underLock(
    instance: Instance,
    reason: RefreshReason,
    row: InstanceRow | undefined,
    db: Database,
  ): Promise<Outcome> {
    if (!row) return { error: apiError('auth.element-token-wrong') };
    const stored = this.open(row);
    if (!row.valid) return { error: apiError('instance.invalid', { id: row.id }), instance: stored };
    // Another process (or a re-authentication) replaced the tokens while we waited.
    if (row.credentialsVersion !== instance.credentialsVersion) return { instance: stored };
    if (!this.stillDue(stored, reason)) return { instance: stored };
    return this.spend(stored, reason, db);
  }

  private stillDue(stored: Instance, reason: RefreshReason): boolean {
    const now = this.options.clock.now();
    if (reason === 'due') return accessTokenDue(stored.configuration, now);
    if (reason === 'idle') return idleDue(stored.configuration, now);
    return true;
  }

  private async spend(stored: Instance, reason: RefreshReason, db: Database): Promise<Outcome> {
    const outcome = await this.spendRefreshToken(stored, reason, db);
    const refused = 'error' in outcome && outcome.error.code === 'instance.invalid';
    this.options.count?.(stored.element.key, !('error' in outcome) ? 'ok' : refused ? 'refused' : 'failed');
    return outcome;
  }

  private async spendRefreshToken(stored: Instance, reason: RefreshReason, db: Database): Promise<Outcome> {
    const log = this.options.logger.child({ instanceId: stored.id, reason });
    const refreshToken = stored.configuration['oauth.user.refresh_token'];
    if (!refreshToken) return this.refuseGrant(stored, db, log, undefined);
    const endpoint = tokenEndpoint(stored.element, stored.configuration, 'refresh');

    let grant: TokenGrant | undefined;
    for (let attempt = 1; !grant; attempt++) {
      try {
        grant = await refreshGrant(endpoint, refreshToken);
      } catch (err) {
        const kind = tokenFailure(err);
        if (kind === 'grant-refused') return this.refuseGrant(stored, db, log, err);
        if (kind === 'refused' || !(err instanceof ApiError)) return { error: asApiError(err) };
        log.warn({ attempt, code: err.code, providerStatus: err.provider?.status }, 'token refresh failed');
        if (attempt >= ATTEMPTS) return { error: unavailable(stored.id, attempt, err) };
        await this.options.clock.sleep(backoff(attempt));
      }
    }
    return this.store(stored, grant, refreshToken, db, log);
  }

  private async store(
    stored: Instance,
    grant: TokenGrant,
    spent: string,
    db: Database,
    log: Logger,
  ): Promise<Outcome> {
    const entries = grantEntries(grant, spent, this.options.clock.now());
    const { plain, secret } = splitSecrets(stored.element, entries);
    const sealed = sealSecrets(stored.id, secret, this.options.cipher);
    const row = await store.writeRefreshedTokens(db, stored.id, stored.credentialsVersion, sealed, plain);
    if (row) {
      log.info({ credentialsVersion: row.credentialsVersion }, 'provider tokens refreshed');
      return { instance: this.open(row) };
    }
    // Only a re-authentication can overtake us here (refreshes hold the lock): keep its grant.
    log.warn('tokens were replaced during the refresh; keeping the newer grant');
    const current = await store.findById(db, stored.id);
    return current ? { instance: this.open(current) } : { error: apiError('auth.element-token-wrong') };
  }

  private async refuseGrant(stored: Instance, db: Database, log: Logger, err: unknown): Promise<Outcome> {
    const row = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const invalid = await store.markInvalid(tx, stored.id, stored.credentialsVersion);
      if (invalid) await this.options.invalidated?.(tx, this.open(invalid));
      return invalid;
    });
    log.warn({ providerStatus: providerStatusOf(err) }, 'provider refused the refresh token; instance is invalid');
    const evidence = err instanceof ApiError && err.provider ? err.provider : {};
    const error = providerError('instance.invalid', { ...evidence, cause: err }, { id: stored.id });
    return row ? { error, instance: this.open(row) } : { error };
  }

  private remember(instance: Instance): void {
    const known = this.latest.get(instance.id);
    if (!known || known.credentialsVersion <= instance.credentialsVersion) {
      this.latest.set(instance.id, instance);
    }
    this.options.publish(instance);
  }

  private open(row: InstanceRow): Instance {
    return fromRow(row, this.options.catalog, this.options.cipher);
  }
}

/** Exponential backoff with full jitter: 0.5–1 s, 1–2 s, … */
function backoff(attempt: number): number {
  const base = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
  return base + Math.floor(Math.random() * base);
}

function unavailable(id: number, attempts: number, err: ApiError): ApiError {
  const evidence = err.provider ?? {};
  const error = providerError('instance.refresh-unavailable', { ...evidence, cause: err }, { id, attempts });
  error.headers['retry-after'] = '30';
  return error;
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : apiError('internal');
}

function providerStatusOf(err: unknown): number | undefined {
  return err instanceof ApiError ? err.provider?.status : undefined;
}
