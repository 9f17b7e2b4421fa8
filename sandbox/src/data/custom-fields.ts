/**
 * Custom field definitions per record type, as `GET /<resource>/model` reports them. Records
 * carry only `{id, content}`; names resolve through these (keap.md §9.13).
 */

export interface CustomFieldDefinition {
  id: number;
  label: string;
  field_name: string;
  field_type: 'Text' | 'Dropdown' | 'Date' | 'WholeNumber' | 'YesNo';
  record_type: 'CONTACT' | 'COMPANY' | 'OPPORTUNITY' | 'ORDER' | 'SUBSCRIPTION';
  options: { id: string; label: string }[];
  default_value: string | null;
}

const tiers = ['Bronze', 'Silver', 'Gold'].map((label) => ({ id: label, label }));

export const CONTACT_CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  field(2, 'Favorite Color', 'FavoriteColor', 'Text'),
  { ...field(4, 'Plan Tier', 'PlanTier', 'Dropdown'), options: tiers },
  field(6, 'Renewal Date', 'RenewalDate', 'Date'),
];

export const COMPANY_CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  { ...field(8, 'Employees', 'Employees', 'WholeNumber'), record_type: 'COMPANY' },
];

function field(
  id: number,
  label: string,
  fieldName: string,
  fieldType: CustomFieldDefinition['field_type'],
): CustomFieldDefinition {
  return {
    id,
    label,
    field_name: fieldName,
    field_type: fieldType,
    record_type: 'CONTACT',
    options: [],
    default_value: null,
  };
}
