import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { positiveIdParam } from '../http/validation-message.js';
import type { App } from '../http/server.js';
import { configurationEntries, entryOf, keyOfEntry } from '../instances/entries.js';
import type { Services } from './context.js';
import { scopedInstance } from './instance-scope.js';

const entryBody = z
  .object({
    propertyValue: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.null()]),
  })
  .passthrough();

const tags = ['instances'];

/**
 * Configuration entries of an instance (spec §3.4): list, read one, change one. A change goes
 * through the instance service like any update, so it takes effect at once (events included).
 */
export function configurationRoutes(app: App, services: Services): void {
  for (const prefix of ['/instances/:id', '/instances']) {
    const scoped = prefix.includes(':id');
    const idOf = (params: unknown) => (scoped ? positiveIdParam(params, 'id') : undefined);

    app.get(`${prefix}/configuration`, { schema: { tags, summary: "List an instance's configuration" } }, async (request) => {
      const { instance } = await scopedInstance(services, request, idOf(request.params));
      return configurationEntries(instance);
    });
    app.get(
      `${prefix}/configuration/:configId`,
      { schema: { tags, summary: 'Retrieve one configuration entry' } },
      async (request) => {
        const { instance } = await scopedInstance(services, request, idOf(request.params));
        const configId = positiveIdParam(request.params, 'configId');
        const key = keyOfEntry(instance, configId);
        if (!key) throw apiError('instance.configuration-not-found', { id: configId, instanceId: instance.id });
        return entryOf(instance, key);
      },
    );
    app.patch(
      `${prefix}/configuration/:configId`,
      { schema: { tags, summary: 'Change one configuration entry', body: entryBody } },
      async (request) => {
        const { principal, instance } = await scopedInstance(services, request, idOf(request.params));
        const configId = positiveIdParam(request.params, 'configId');
        const key = keyOfEntry(instance, configId);
        if (!key) throw apiError('instance.configuration-not-found', { id: configId, instanceId: instance.id });
        const value = request.body.propertyValue;
        const text = value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);
        const updated = await services.instances.setConfiguration(principal, instance.id, { [key]: text });
        return entryOf(updated, key);
      },
    );
  }
}
