import type { Element, ResourceDefinition } from './schema.js';

export interface FieldMetadata {
  vendorPath: string;
  path: string;
  type: string;
  vendorNativeType: string;
  filterable: boolean;
  createable: boolean;
  updateable: boolean;
}

/**
 * Field metadata of one hub object, from the vendor's model: JSON types, and which fields a
 * `where` can filter on and a create or update can set (spec §5.1, `/objects/{name}/metadata`).
 */
export function objectMetadata(element: Element, resource: ResourceDefinition) {
  const filterable = new Set(resource.operations.flatMap((o) => o.filters.map((f) => f.field)));
  const createable = bodyFields(element, resource, 'create');
  const updateable = bodyFields(element, resource, 'update');
  const model = resource.model ? element.models[resource.model] : undefined;
  const fields: FieldMetadata[] = (model?.fields ?? []).map(([name, vendorType]) => ({
    vendorPath: name,
    path: name,
    type: jsonType(vendorType, element.models),
    vendorNativeType: vendorType,
    filterable: filterable.has(name),
    createable: createable.has(name),
    updateable: updateable.has(name),
  }));
  // Filters that are not record fields (`since`, `until`, …) are still worth listing.
  for (const name of filterable) {
    if (!fields.some((f) => f.vendorPath === name)) {
      fields.push({
        vendorPath: name,
        path: name,
        type: 'string',
        vendorNativeType: 'query',
        filterable: true,
        createable: false,
        updateable: false,
      });
    }
  }
  return { objectName: resource.name, primaryKeyName: resource.idField, fields };
}

function bodyFields(element: Element, resource: ResourceDefinition, kind: 'create' | 'update'): Set<string> {
  const operation = resource.operations.find((o) => o.kind === kind);
  const model = operation?.bodyModel ? element.models[operation.bodyModel] : undefined;
  return new Set((model?.fields ?? []).map(([name]) => name));
}

/** A vendor model's field type (Java-style names, as in the models file) as a JSON type. */
export function jsonType(vendorType: string, models: Element['models']): string {
  if (vendorType.startsWith('List<')) return 'array';
  if (['Long', 'Integer', 'Double', 'Float', 'BigDecimal'].includes(vendorType)) return 'number';
  if (vendorType === 'Boolean') return 'boolean';
  if (vendorType === 'String' || vendorType === 'Date' || vendorType === 'LocalDate') return 'string';
  if (models[vendorType] || vendorType.startsWith('Map')) return 'object';
  return 'string';
}
