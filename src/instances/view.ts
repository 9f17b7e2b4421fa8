import type { Element } from '../elements/schema.js';
import type { UserRow } from '../store/schema.js';
import { masked } from './configuration.js';
import type { Instance } from './model.js';

/** The element JSON of spec §2.2. */
export function elementView(element: Element, basePath: string) {
  return {
    id: element.id,
    key: element.key,
    name: element.name,
    description: element.description,
    image: `${basePath}/elements/${element.key}/image`,
    active: true,
    deleted: false,
    typeOauth: false,
    trialAccount: false,
    beta: false,
    extended: false,
    extendable: false,
    cloneable: false,
    hub: element.hub,
    authentication: element.authentication,
    protocolType: 'http',
    transformationsEnabled: false,
    bulkDownloadEnabled: false,
    bulkUploadEnabled: false,
    elementProvisionType: 'OAUTH_TEMPLATE',
    // Not in the element JSON of spec §2.2; mirrors `GET /elements/{key}/metadata` (§2.4).
    events: { supported: element.events.supported, methods: element.events.methods },
    configuration: element.configuration.map((c, index) => ({
      id: configurationId(element, index),
      name: c.name,
      key: c.key,
      description: c.description,
      defaultValue: c.defaultValue ?? '',
      type: c.type,
      required: c.required,
      hideFromConsole: c.hideFromConsole,
      active: true,
      internal: false,
      companyConfig: false,
      resellerConfig: false,
      groupControl: false,
      displayOrder: index,
    })),
    parameters: [],
    resources: element.resources.flatMap((r) =>
      r.operations.map((o) => ({
        path: `/hubs/${element.hub}${o.path}`,
        vendorPath: o.vendorPath,
        method: o.method,
        vendorMethod: o.vendorMethod ?? o.method,
        description: o.description ?? r.description,
        type: 'api',
      })),
    ),
    hooks: [],
    objects: [],
  };
}

/** Stable ids for an element's configuration definitions. */
export function configurationId(element: Element, index: number): number {
  return element.id * 1000 + index;
}

/** The instance JSON of spec §3.3, secrets masked. */
export function instanceView(instance: Instance, user: UserRow | undefined, basePath: string) {
  const configuration = masked(instance.element, instance.configuration);
  const callback = instance.configuration['event.notification.callback.url'];
  return {
    id: instance.id,
    name: instance.name,
    createdDate: instance.createdDate.toISOString(),
    token: instance.token,
    element: elementView(instance.element, basePath),
    elementId: instance.element.id,
    tags: instance.tags,
    provisionInteractions: [],
    valid: instance.valid,
    disabled: instance.disabled,
    maxCacheSize: 0,
    cacheTimeToLive: 0,
    configuration,
    eventsEnabled: instance.configuration['event.notification.enabled'] === 'true',
    ...(callback ? { eventsNotificationCallbackUrl: callback } : {}),
    traceLoggingEnabled: instance.traceLoggingEnabled,
    cachingEnabled: instance.cachingEnabled,
    externalAuthentication: instance.externalAuthentication,
    user: {
      id: instance.userId,
      emailAddress: user?.email ?? '',
      firstName: user?.firstName ?? '',
      lastName: user?.lastName ?? '',
    },
  };
}
