import type { Element, OperationDefinition, ResourceDefinition } from '../elements/schema.js';

export interface MatchedOperation {
  resource: ResourceDefinition;
  operation: OperationDefinition;
  /** Values of the path template's `{placeholders}`. */
  params: Record<string, string>;
}

interface Compiled {
  resource: ResourceDefinition;
  operation: OperationDefinition;
  pattern: RegExp;
  names: string[];
}

/** Finds which declared operation of an element a hub request calls. */
export class OperationMatcher {
  private readonly compiled = new Map<string, Compiled[]>();

  match(element: Element, method: string, path: string): MatchedOperation | undefined {
    const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
    for (const c of this.forElement(element)) {
      if (c.operation.method !== method) continue;
      const found = c.pattern.exec(trimmed);
      if (!found) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { resource: c.resource, operation: c.operation, params };
    }
    return undefined;
  }

  private forElement(element: Element): Compiled[] {
    let list = this.compiled.get(element.key);
    if (!list) {
      list = element.resources.flatMap((resource) =>
        resource.operations.map((operation) => compile(resource, operation)),
      );
      this.compiled.set(element.key, list);
    }
    return list;
  }
}

function compile(resource: ResourceDefinition, operation: OperationDefinition): Compiled {
  const names: string[] = [];
  const source = operation.path
    .split('/')
    .map((segment) => {
      const placeholder = /^\{(\w+)\}$/.exec(segment);
      if (!placeholder?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(placeholder[1]);
      return '([^/]+)';
    })
    .join('/');
  return { resource, operation, pattern: new RegExp(`^${source}$`), names };
}

/** Fills a vendor path template with the matched values, each URL-encoded. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
