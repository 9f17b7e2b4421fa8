import type { Element, ModelsFile, OperationDefinition, ResourceDefinition } from '../elements/schema.js';
import { jsonType } from '../elements/metadata.js';

type Json = Record<string, unknown>;

/**
 * A Swagger 2.0 document of an element's hub resources (spec §2.1: `/elements/{id}/docs`,
 * `/instances/{id}/docs`): every declared operation with its parameters, and the vendor
 * models as definitions, so a user can make requests from the docs of an instance.
 */
export function elementSwagger(element: Element, options: { basePath: string; title?: string }): Json {
  const paths: Record<string, Json> = {};
  const used = new Set<string>();
  for (const resource of element.resources) {
    for (const operation of resource.operations) {
      const path = `/hubs/${element.hub}${operation.path}`;
      paths[path] ??= {};
      (paths[path] as Json)[operation.method.toLowerCase()] = describe(resource, operation, used);
    }
  }
  return {
    swagger: '2.0',
    info: {
      title: options.title ?? `${element.name} hub API`,
      description: element.description,
      version: '1',
    },
    basePath: options.basePath,
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: {
      elements: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'User <user secret>, Element <instance token>',
      },
    },
    security: [{ elements: [] }],
    tags: element.resources.map((r) => ({ name: r.name, description: r.description })),
    paths,
    definitions: definitions(element.models, used),
  };
}

function describe(
  resource: ResourceDefinition,
  operation: OperationDefinition,
  used: Set<string>,
): Json {
  const parameters: Json[] = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    type: 'string',
  }));
  if (operation.kind === 'list') parameters.push(...listParameters(operation));
  for (const name of operation.query) parameters.push({ name, in: 'query', type: 'string', description: 'Passed to the provider as is' });
  if (operation.bodyModel) {
    used.add(operation.bodyModel);
    parameters.push({ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${operation.bodyModel}` } });
  }
  const record = operation.model ? ref(operation.model, used) : { type: 'object' };
  const schema = operation.kind === 'list' ? { type: 'array', items: record } : record;
  return {
    tags: [resource.name],
    summary: operation.description ?? resource.description,
    operationId: operationId(operation),
    parameters,
    responses: {
      '200': { description: 'OK', schema },
      '400': { description: 'Bad request: the message says what was wrong' },
      '401': { description: 'Missing or wrong credentials' },
      '404': { description: 'Not found' },
    },
  };
}

function listParameters(operation: OperationDefinition): Json[] {
  const filters = operation.filters.map((f) => `${f.field} (${f.operators.join(', ')})`).join('; ');
  const sorts = Object.keys(operation.orderBy);
  return [
    { name: 'where', in: 'query', type: 'string', description: filters ? `CEQL. Fields: ${filters}` : 'CEQL; this list has no filters' },
    ...(sorts.length ? [{ name: 'orderBy', in: 'query', type: 'string', description: `One of: ${sorts.join(', ')}` }] : []),
    { name: 'fields', in: 'query', type: 'string', description: 'Comma-separated fields to return' },
    { name: 'page', in: 'query', type: 'integer', minimum: 1 },
    { name: 'pageSize', in: 'query', type: 'integer', minimum: 1 },
    { name: 'nextPage', in: 'query', type: 'string', description: 'The Elements-Next-Page-Token of the previous page' },
  ];
}

function operationId(operation: OperationDefinition): string {
  const words = operation.path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith('{') ? `By${cap(s.slice(1, -1))}` : cap(s)));
  return `${operation.method.toLowerCase()}${words.join('')}`;
}

function ref(model: string, used: Set<string>): Json {
  used.add(model);
  return { $ref: `#/definitions/${model}` };
}

/** Definitions for the models used, and every model they reach. */
function definitions(models: ModelsFile, used: Set<string>): Record<string, Json> {
  const out: Record<string, Json> = {};
  const pending = [...used];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const model = models[name];
    if (out[name] || !model) continue;
    const properties: Record<string, Json> = {};
    for (const [field, type] of model.fields) {
      properties[field] = schemaOf(type, models, pending);
      const values = model.enums[field];
      if (values) properties[field] = { ...properties[field], enum: values };
    }
    out[name] = { type: 'object', properties };
  }
  return out;
}

function schemaOf(type: string, models: ModelsFile, pending: string[]): Json {
  const list = /^List<(.+)>$/.exec(type);
  if (list?.[1]) return { type: 'array', items: schemaOf(list[1], models, pending) };
  if (models[type]) {
    pending.push(type);
    return { $ref: `#/definitions/${type}` };
  }
  const json = jsonType(type, models);
  if (json === 'number' && (type === 'Long' || type === 'Integer')) return { type: 'integer' };
  return { type: json };
}

function cap(s: string): string {
  return s.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
}
