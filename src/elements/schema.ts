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

/** A CEQL field a list can filter on, and the vendor query parameter it becomes. */
export const filterDefinition = z.object({
  field: z.string(),
  param: z.string(),
  operators: z.array(
    z.enum(['=', '!=', '<', '>', '<=', '>=', 'like', 'in', 'is null', 'is not null']),
  ),
  type: z.enum(['string', 'number', 'boolean', 'date']).default('string'),
  /** The only values the vendor accepts, when it has a fixed set. */
  values: z.array(z.string()).optional(),
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
  /** For lists: what `where` can express, as vendor query parameters. */
  filters: z.array(filterDefinition).default([]),
  /** For lists: CEQL field → vendor sort value, sent as `orderParam`. */
  orderBy: z.record(z.string(), z.string()).default({}),
  orderParam: z.string().default('order'),
  /** Vendor parameter for the direction, when the vendor has one. */
  directionParam: z.string().optional(),
  /** Vendor query parameters the caller may pass through as they are. */
  query: z.array(z.string()).default([]),
  /** Vendor model of the records returned, and of the request body. */
  model: z.string().optional(),
  bodyModel: z.string().optional(),
});

export const resourceDefinition = z.object({
  name: z.string(),
  description: z.string(),
  /** The vendor model of one record, for metadata and documentation. */
  model: z.string().optional(),
  idField: z.string().default('id'),
  /** Fields holding creation and modification dates, for polling. */
  dates: z.object({ created: z.string().optional(), updated: z.string().optional() }).default({}),
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

/** A provider's REST-hook API and the shape of the batches it sends (keap.md §5). */
export const hooksDefinition = z.object({
  /** Below the API base URL: `POST` registers, `DELETE {path}/{id}` removes. */
  path: z.string().startsWith('/'),
  /** Request body fields of a registration. */
  eventKeyParam: z.string(),
  urlParam: z.string(),
  /** Field of the registration's answer holding the hook id. */
  idField: z.string(),
  /** Header carrying the handshake secret, echoed back to verify. */
  secretHeader: z.string(),
  /** Field of a hook (as registration answers it) holding its status, and the verified value. */
  status: z.object({ field: z.string(), verified: z.string() }).optional(),
  /** Below `{path}/{id}`: asks the provider to run the handshake again. */
  verifyPath: z.string().startsWith('/').optional(),
  /** Below `{path}/{id}`: confirms later, with the secret of a handshake whose answer was lost. */
  delayedVerifyPath: z.string().startsWith('/').optional(),
  /** Fields of a delivered batch: its event key, its objects, and each object's id and time. */
  payload: z.object({ eventKey: z.string(), objects: z.string(), objectId: z.string(), timestamp: z.string() }),
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
  /** A cheap vendor call that proves the credentials work, for `/ping`. */
  ping: z.object({ path: z.string().startsWith('/') }),
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
  hooks: hooksDefinition.optional(),
});

/** A provider event an element subscribes to, and what it means for which resource. */
export const webhookDefinition = z.object({
  eventKey: z.string(),
  resource: z.string(),
  eventType: z.enum(['CREATED', 'UPDATED', 'DELETED', 'UNKNOWN']),
});

/**
 * How an inbound payload that names no instance finds its instances (spec §6.1, item 3): the
 * value at `path` of the payload (the body, or the query of a GET) is compared with each of the
 * element's instances' configuration entry `configKey`; every instance that holds it receives
 * the payload.
 */
export const instanceFinderDefinition = z.object({
  path: z.string().min(1),
  configKey: z.string().default('event.notification.instance.finder'),
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
  /** How the element hears about changes: polling hub resources, provider webhooks, or not. */
  events: z
    .object({
      supported: z.boolean(),
      methods: z.array(z.enum(['polling', 'webhook'])),
      webhooks: z.array(webhookDefinition).default([]),
      instanceFinder: instanceFinderDefinition.optional(),
    })
    .default({ supported: false, methods: [], webhooks: [] }),
  /** Names of files in the provider's `resources/` folder. */
  resources: z.array(z.string()),
});

export const hubDefinition = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
});

/** Vendor models: name → fields as `[name, type]` (`Long`, `String`, `List<Model>`, …). */
export const modelsFile = z.record(
  z.string(),
  z.object({
    fields: z.array(z.tuple([z.string(), z.string()])),
    enums: z.record(z.string(), z.array(z.string())).default({}),
  }),
);

export type FilterDefinition = z.infer<typeof filterDefinition>;
export type ModelsFile = z.infer<typeof modelsFile>;
export type ConfigDefinition = z.infer<typeof configDefinition>;
export type OperationDefinition = z.infer<typeof operationDefinition>;
export type ResourceDefinition = z.infer<typeof resourceDefinition>;
export type ProviderDefinition = z.infer<typeof providerDefinition>;
export type HubDefinition = z.infer<typeof hubDefinition>;
export type WebhookDefinition = z.infer<typeof webhookDefinition>;
export type HooksDefinition = z.infer<typeof hooksDefinition>;
export type InstanceFinderDefinition = z.infer<typeof instanceFinderDefinition>;

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
  events: {
    supported: boolean;
    methods: ('polling' | 'webhook')[];
    webhooks: WebhookDefinition[];
    instanceFinder?: InstanceFinderDefinition | undefined;
  };
  configuration: ConfigDefinition[];
  resources: ResourceDefinition[];
  /** The provider's vendor models, shared by its elements. */
  models: ModelsFile;
}
