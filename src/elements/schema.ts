import { z } from 'zod';

/**
 * The shape of element definitions: data read from `elements/<provider>/`, checked against
 * these schemas at start-up and run by the generic engine, which knows no provider by name.
 */

const method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export const configDefinition = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.enum(['TEXTFIELD_32', 'TEXTFIELD_1000', 'TEXTAREA', 'BOOLEAN', 'PASSWORD']),
  defaultValue: z.string().optional(),
  required: z.boolean().default(false),
  hideFromConsole: z.boolean().default(false),
  /** Stored encrypted and shown masked. */
  secret: z.boolean().default(false),
});

export const operationDefinition = z.object({
  kind: z.enum(['list', 'get', 'create', 'update', 'delete', 'call']),
  method,
  /** Hub path template, e.g. `/orders/{id}`. */
  path: z.string().startsWith('/'),
  vendorMethod: method.optional(),
  /** Vendor path template below the API base URL. */
  vendorPath: z.string().startsWith('/'),
  /** For lists: the property of the vendor's envelope that holds the records. */
  listField: z.string().optional(),
  description: z.string().optional(),
});

export const resourceDefinition = z.object({
  name: z.string(),
  description: z.string(),
  operations: z.array(operationDefinition).min(1),
});

export const pagingDefinition = z.object({
  /** Offset paging: the vendor takes a page size and a record offset. */
  type: z.literal('offset'),
  limitParam: z.string(),
  offsetParam: z.string(),
  /** Envelope property with the total count of matching records, when the vendor sends one. */
  totalField: z.string().optional(),
});

export const oauthDefinition = z.object({
  /** How the client authenticates at the token endpoint, per grant. */
  codeClientAuth: z.enum(['body', 'basic']),
  refreshClientAuth: z.enum(['body', 'basic']),
});

/** Provider-wide facts shared by all of its elements (`provider.json`). */
export const providerDefinition = z.object({
  name: z.string(),
  /** Origins of the provider's URLs, which `JUNCTION_<PROVIDER>_URL` replaces. */
  origins: z.array(z.string().url()),
  configuration: z.array(configDefinition),
  oauth: oauthDefinition,
  paging: pagingDefinition,
  /** Configuration key whose value is the vendor API base URL. */
  baseUrlKey: z.string(),
  /** Call limits per OAuth client id, across all of its instances. */
  quota: z.object({
    perSecond: z.number().int().positive(),
    perMinute: z.number().int().positive(),
    /** Response headers in which the provider reports what is left of its quotas. */
    headers: z
      .object({
        /** Calls left today; `0` means every call is refused until `dayResetsAt`. */
        dayAvailable: z.string(),
        /** Epoch ms at which the daily quota resets. */
        dayResetsAt: z.string(),
        /** Calls left in the current minute. */
        minuteAvailable: z.string(),
      })
      .optional(),
  }),
});

/** One element file (`elements/<provider>/elements/<key>.json`). */
export const elementFile = z.object({
  id: z.number().int(),
  key: z.string().regex(/^[a-z0-9]+$/),
  name: z.string(),
  description: z.string(),
  image: z.string(),
  hub: z.string(),
  authentication: z.object({ type: z.literal('oauth2') }),
  configuration: z.array(configDefinition).default([]),
  /** Names of files in the provider's `resources/` folder. */
  resources: z.array(z.string()),
});

export const hubDefinition = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
});

export type ConfigDefinition = z.infer<typeof configDefinition>;
export type OperationDefinition = z.infer<typeof operationDefinition>;
export type ResourceDefinition = z.infer<typeof resourceDefinition>;
export type ProviderDefinition = z.infer<typeof providerDefinition>;
export type HubDefinition = z.infer<typeof hubDefinition>;

/** An element as the engine runs it: its file merged with its provider's shared facts. */
export interface Element {
  id: number;
  key: string;
  name: string;
  description: string;
  image: string;
  hub: string;
  provider: ProviderDefinition;
  authentication: { type: 'oauth2' };
  configuration: ConfigDefinition[];
  resources: ResourceDefinition[];
}
