/**
 * Everything one running sandbox holds: its clock, the registered app, issued grants, quota
 * counters, scripted faults, statistics and the tenant's data. Route modules receive this
 * object; nothing is module-global, so several sandboxes can run in one process.
 */
import { createClock, type SandboxClock } from './clock.js';
import { generateDataset, TENANT, type Dataset } from './data/dataset.js';
import { FaultQueue } from './gateway/faults.js';
import { ChangeFeed } from './hooks/feed.js';
import { QuotaMeter, type QuotaLimits, type QuotaViolation } from './gateway/quota.js';
import { createRegisteredApp, type RegisteredApp } from './oauth/client.js';
import { GrantStore, type Lifetimes } from './oauth/grants.js';

export interface SandboxStats {
  tokenRequests: { authorization_code: number; refresh_token: number };
  refreshTokenReuse: number;
  apiRequests: number;
  /** API calls refused for a spent quota, by limit: proves a client stayed within them. */
  quotaRefusals: Record<QuotaViolation, number>;
  /** Every code and token minted, in order; tests grep logs and stores for them. */
  issued: string[];
}

export interface ContextOptions {
  clock: () => number;
  seed: number;
  redirectUris: readonly string[];
  autoConsent: boolean;
  lifetimes: Lifetimes;
  quotaLimits: QuotaLimits;
}

export interface SandboxContext {
  readonly clock: SandboxClock;
  readonly app: RegisteredApp;
  readonly tenant: string;
  readonly autoConsent: boolean;
  readonly lifetimes: Lifetimes;
  /** Behaviour switches set through the control API. */
  readonly behaviour: { rotateRefreshTokens: boolean };
  readonly grants: GrantStore;
  readonly quota: QuotaMeter;
  readonly faults: FaultQueue;
  readonly stats: SandboxStats;
  /** Short-lived proofs that a login form was submitted, redeemed by the consent form. */
  readonly logins: Map<string, number>;
  data: Dataset;
  /** Record changes, for REST hooks. */
  readonly changes: ChangeFeed;
  /** Back to the state at start-up: seed data, no tokens, no faults, zeroed statistics. */
  reset(): void;
}

export function createContext(options: ContextOptions): SandboxContext {
  const clock = createClock(options.clock);
  // The seed is anchored to the start-up time so a reset reproduces the very same records.
  const anchor = Math.floor(clock.now() / 1000) * 1000;
  const seedInput = { seed: options.seed, anchor };
  const lifetimes = { ...options.lifetimes };
  const stats = emptyStats();
  const behaviour = { rotateRefreshTokens: true };

  const grants = new GrantStore({
    now: clock.now,
    lifetimes,
    scopeFor: (scope) => `${scope}|${TENANT}`,
    onIssue: (secret) => stats.issued.push(secret),
    rotateRefreshTokens: () => behaviour.rotateRefreshTokens,
  });

  const context: SandboxContext = {
    clock,
    app: createRegisteredApp(options.redirectUris),
    tenant: TENANT,
    autoConsent: options.autoConsent,
    lifetimes,
    behaviour,
    grants,
    quota: new QuotaMeter(options.quotaLimits, clock.now),
    faults: new FaultQueue(),
    stats,
    logins: new Map(),
    data: generateDataset(seedInput),
    changes: new ChangeFeed(),
    reset() {
      clock.reset();
      Object.assign(lifetimes, options.lifetimes);
      behaviour.rotateRefreshTokens = true;
      Object.assign(stats, emptyStats());
      grants.clear();
      context.quota.clear();
      context.faults.clear();
      context.logins.clear();
      context.data = generateDataset(seedInput);
    },
  };
  return context;
}

function emptyStats(): SandboxStats {
  return {
    tokenRequests: { authorization_code: 0, refresh_token: 0 },
    refreshTokenReuse: 0,
    apiRequests: 0,
    quotaRefusals: { spike: 0, minute: 0, day: 0, tenant: 0 },
    issued: [],
  };
}
