import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  elementFile,
  hubDefinition,
  modelsFile,
  providerDefinition,
  resourceDefinition,
  type ConfigDefinition,
  type Element,
  type HubDefinition,
  type ProviderDefinition,
} from './schema.js';

/** The elements and hubs Junction serves, loaded once at start-up from the elements folder. */
export class Catalog {
  private readonly byKey = new Map<string, Element>();
  private readonly byId = new Map<number, Element>();

  constructor(
    readonly elements: Element[],
    readonly hubs: HubDefinition[],
  ) {
    for (const element of elements) {
      this.byKey.set(element.key, element);
      this.byId.set(element.id, element);
    }
  }

  /** Finds an element by its key or its numeric id, as every `{keyOrId}` path allows. */
  find(keyOrId: string | number): Element | undefined {
    const text = String(keyOrId);
    return /^\d+$/.test(text) ? this.byId.get(Number(text)) : this.byKey.get(text);
  }

  /** The known key closest to a misspelt one, when it is close enough to be a typo. */
  suggest(key: string): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const known of this.byKey.keys()) {
      const distance = editDistance(key.toLowerCase(), known);
      if (!best || distance < best.distance) best = { key: known, distance };
    }
    return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
  }
}

/**
 * Reads `hubs.json` and every provider folder: `provider.json`, `elements/*.json` and
 * `resources/*.json`. Provider URLs are pointed at `providerOrigins[provider]` when given.
 */
export async function loadCatalog(
  dir: string,
  providerOrigins: Record<string, string>,
): Promise<Catalog> {
  const hubs = z.array(hubDefinition).parse(await readJson(join(dir, 'hubs.json')));
  const elements: Element[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      elements.push(...(await loadProvider(join(dir, entry.name), providerOrigins)));
    }
  }
  elements.sort((a, b) => a.id - b.id);
  return new Catalog(elements, hubs);
}

async function loadProvider(
  dir: string,
  providerOrigins: Record<string, string>,
): Promise<Element[]> {
  const provider = providerDefinition.parse(await readJson(join(dir, 'provider.json')));
  const models = modelsFile.parse(await readJson(join(dir, 'models.json')));
  const override = providerOrigins[provider.name];
  const elements: Element[] = [];
  for (const name of await jsonFiles(join(dir, 'elements'))) {
    const file = elementFile.parse(await readJson(join(dir, 'elements', name)));
    const resources = await Promise.all(
      file.resources.map(async (r) =>
        resourceDefinition.parse(await readJson(join(dir, 'resources', `${r}.json`))),
      ),
    );
    // An element without events offers no `event.*` entries, whatever its provider shares.
    const configuration = mergeConfiguration(provider.configuration, file.configuration)
      .filter((c) => file.events.supported || !c.key.startsWith('event.'))
      .map((c) => (override ? rebase(c, provider, override) : c));
    elements.push({ ...file, provider, configuration, resources, models });
  }
  return elements;
}

/** Element entries replace provider entries of the same key; order is provider first. */
function mergeConfiguration(common: ConfigDefinition[], own: ConfigDefinition[]): ConfigDefinition[] {
  const merged = new Map(common.map((c) => [c.key, c]));
  for (const c of own) merged.set(c.key, c);
  return [...merged.values()];
}

function rebase(c: ConfigDefinition, provider: ProviderDefinition, origin: string): ConfigDefinition {
  if (!c.defaultValue) return c;
  const from = provider.origins.find((o) => c.defaultValue?.startsWith(o));
  return from ? { ...c, defaultValue: origin + c.defaultValue.slice(from.length) } : c;
}

async function jsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read element data ${path}: ${(err as Error).message}`);
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
