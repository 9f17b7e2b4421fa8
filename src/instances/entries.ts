import { createHash } from 'node:crypto';
import type { Element } from '../elements/schema.js';
import { isSecretKey, MASK } from './configuration.js';
import type { Instance } from './model.js';
import { configurationId } from './view.js';

/** One configuration entry as `GET /instances/{id}/configuration` lists it (spec §3.4). */
export interface ConfigurationEntry {
  id: number;
  key: string;
  name: string;
  description: string;
  type: string;
  propertyValue: string;
  required: boolean;
  hideFromConsole: boolean;
}

/**
 * The id of an entry: the element definition's id for keys it declares, so an id read from
 * `GET /elements/{key}` works too; for any other key (clients store their own) a number
 * derived from the key, stable across processes and restarts.
 */
export function entryId(element: Element, key: string): number {
  const index = element.configuration.findIndex((c) => c.key === key);
  if (index >= 0) return configurationId(element, index);
  const digest = createHash('sha256').update(key).digest().readUInt32BE(0);
  return 1_000_000_000 + (digest % 1_000_000_000);
}

/** Every entry of an instance, declared keys first, secrets masked. */
export function configurationEntries(instance: Instance): ConfigurationEntry[] {
  const { element, configuration } = instance;
  const declared = element.configuration.map((c) => c.key);
  const others = Object.keys(configuration).filter((k) => !declared.includes(k)).sort();
  return [...declared, ...others]
    .filter((key) => configuration[key] !== undefined)
    .map((key) => entryOf(instance, key));
}

export function entryOf(instance: Instance, key: string): ConfigurationEntry {
  const { element, configuration } = instance;
  const definition = element.configuration.find((c) => c.key === key);
  const value = configuration[key] ?? '';
  return {
    id: entryId(element, key),
    key,
    name: definition?.name ?? key,
    description: definition?.description ?? '',
    type: definition?.type ?? 'TEXTFIELD_1000',
    propertyValue: isSecretKey(element, key) ? MASK : value,
    required: definition?.required ?? false,
    hideFromConsole: definition?.hideFromConsole ?? false,
  };
}

/** The key an entry id stands for on this instance, if any. */
export function keyOfEntry(instance: Instance, id: number): string | undefined {
  const declared = instance.element.configuration.find((c) => entryId(instance.element, c.key) === id);
  if (declared) return declared.key;
  return Object.keys(instance.configuration).find((key) => entryId(instance.element, key) === id);
}
