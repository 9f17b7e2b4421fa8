import type { Cipher } from '../crypto/cipher.js';
import type { Catalog } from '../elements/catalog.js';
import type { Element } from '../elements/schema.js';
import type { InstanceRow } from '../store/schema.js';

/** An instance as the hub works with it: its element resolved and its secrets opened. */
export interface Instance {
  id: number;
  organizationId: number;
  userId: number;
  element: Element;
  name: string;
  tags: string[];
  /** Every configuration entry, secrets included, in the clear. Never log or return it. */
  configuration: Record<string, string>;
  token: string;
  /** The grant generation these tokens belong to; see `store/credentials.ts`. */
  credentialsVersion: number;
  valid: boolean;
  disabled: boolean;
  cachingEnabled: boolean;
  traceLoggingEnabled: boolean;
  externalAuthentication: string;
  createdDate: Date;
}

/** Associated data that binds an encrypted value to its instance and field. */
export function secretContext(instanceId: number, field: string): string {
  return `instance:${instanceId}:${field}`;
}

/** Opens a stored row. */
export function fromRow(row: InstanceRow, catalog: Catalog, cipher: Cipher): Instance {
  const element = catalog.find(row.elementKey);
  if (!element) throw new Error(`instance ${row.id} uses unknown element ${row.elementKey}`);
  const configuration = { ...row.configuration };
  for (const [key, envelope] of Object.entries(row.secrets)) {
    configuration[key] = cipher.open(envelope, secretContext(row.id, key));
  }
  return {
    id: row.id,
    organizationId: row.organizationId,
    userId: row.userId,
    element,
    name: row.name,
    tags: row.tags,
    configuration,
    token: cipher.open(row.tokenSecret, secretContext(row.id, 'token')),
    credentialsVersion: row.credentialsVersion,
    valid: row.valid,
    disabled: row.disabled,
    cachingEnabled: row.cachingEnabled,
    traceLoggingEnabled: row.traceLoggingEnabled,
    externalAuthentication: row.externalAuthentication,
    createdDate: row.createdDate,
  };
}

/** Seals the secret entries of a configuration for storage. */
export function sealSecrets(
  instanceId: number,
  secrets: Record<string, string>,
  cipher: Cipher,
): Record<string, string> {
  const sealed: Record<string, string> = {};
  for (const [key, value] of Object.entries(secrets)) {
    sealed[key] = cipher.seal(value, secretContext(instanceId, key));
  }
  return sealed;
}

/** What an instance's stored credentials were, to act for it once its row is gone. */
export interface InstanceSnapshot {
  instanceId: number;
  elementKey: string;
  configuration: Record<string, string>;
  /** Secret entries, sealed as in the instance row. */
  secrets: Record<string, string>;
  credentialsVersion: number;
}

/**
 * Opens a snapshot as an instance that can call its provider: its configuration, secrets
 * included, and nothing of its identity towards apps (no token, no owner).
 */
export function fromSnapshot(snapshot: InstanceSnapshot, catalog: Catalog, cipher: Cipher): Instance {
  const element = catalog.find(snapshot.elementKey);
  if (!element) throw new Error(`instance ${snapshot.instanceId} used unknown element ${snapshot.elementKey}`);
  const configuration = { ...snapshot.configuration };
  for (const [key, envelope] of Object.entries(snapshot.secrets)) {
    configuration[key] = cipher.open(envelope, secretContext(snapshot.instanceId, key));
  }
  return {
    id: snapshot.instanceId,
    organizationId: 0,
    userId: 0,
    element,
    name: '',
    tags: [],
    configuration,
    token: '',
    credentialsVersion: snapshot.credentialsVersion,
    valid: true,
    disabled: false,
    cachingEnabled: false,
    traceLoggingEnabled: false,
    externalAuthentication: 'none',
    createdDate: new Date(0),
  };
}
