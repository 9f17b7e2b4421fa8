/**
 * `GET /<resource>/model`: the custom fields defined for a record type and the property names
 * `optional_properties` accepts for it (keap.md §3.1).
 */
import type { FastifyInstance } from 'fastify';
import {
  COMPANY_CUSTOM_FIELDS,
  CONTACT_CUSTOM_FIELDS,
  type CustomFieldDefinition,
} from '../data/custom-fields.js';

const OPPORTUNITY_FIELDS: CustomFieldDefinition[] = [
  {
    id: 18,
    label: 'Favorite Color',
    field_name: 'OppColor',
    field_type: 'Text',
    record_type: 'OPPORTUNITY',
    options: [],
    default_value: null,
  },
];

const MODELS: Record<string, { fields: readonly CustomFieldDefinition[]; optional: string[] }> = {
  contacts: {
    fields: CONTACT_CUSTOM_FIELDS,
    optional: ['custom_fields', 'job_title', 'lead_source_id'],
  },
  companies: { fields: COMPANY_CUSTOM_FIELDS, optional: ['custom_fields', 'fax_number', 'notes'] },
  opportunities: { fields: OPPORTUNITY_FIELDS, optional: ['custom_fields'] },
  orders: { fields: [], optional: [] },
  subscriptions: { fields: [], optional: [] },
  tasks: { fields: [], optional: [] },
  notes: { fields: [], optional: [] },
  appointments: { fields: [], optional: [] },
  affiliates: { fields: [], optional: [] },
};

export function registerModels(app: FastifyInstance): void {
  for (const [resource, model] of Object.entries(MODELS)) {
    app.get(`/${resource}/model`, async () => ({
      custom_fields: model.fields.map((field) => structuredClone(field)),
      optional_properties: [...model.optional],
    }));
  }
}
