import { z } from 'zod';
import type { App } from '../http/server.js';
import { BASE_PATH } from '../http/server.js';
import type { Instance } from '../instances/model.js';
import { instanceBody } from '../instances/service.js';
import { instanceView } from '../instances/view.js';
import { findUserById } from '../store/organizations.js';
import { principalOf, type Services } from './context.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const scopedParams = z.object({ keyOrId: z.string() });
const scopedIdParams = scopedParams.extend({ id: z.coerce.number().int().positive() });
const listQuery = z
  .object({
    'tags[]': z.union([z.string(), z.array(z.string())]).optional(),
    tags: z.union([z.string(), z.array(z.string())]).optional(),
    searchText: z.string().optional(),
    hydrate: z.string().optional(),
  })
  .passthrough();
const updateQuery = z.object({ reAuthenticate: z.string().optional() }).passthrough();

const tags = ['instances'];

/** `/instances` and its element-scoped twin `/elements/{keyOrId}/instances` (spec §3). */
export function instanceRoutes(app: App, services: Services): void {
  const view = async (instance: Instance) =>
    instanceView(instance, await findUserById(services.db, instance.userId), BASE_PATH);

  app.post('/instances', { schema: { tags, summary: 'Provision an instance', body: instanceBody } }, async (request) => {
    const principal = await principalOf(services, request);
    return view(await services.instances.create(principal, request.body));
  });
  app.post(
    '/elements/:keyOrId/instances',
    { schema: { tags, summary: 'Provision an instance of an element', params: scopedParams, body: instanceBody } },
    async (request) => {
      const principal = await principalOf(services, request);
      return view(await services.instances.create(principal, request.body, request.params.keyOrId));
    },
  );

  app.get('/instances', { schema: { tags, summary: 'List instances', querystring: listQuery } }, async (request) => {
    const principal = await principalOf(services, request);
    const wanted = [request.query['tags[]'], request.query.tags].flat().filter((t): t is string => !!t);
    const list = await services.instances.list(principal, { tags: wanted, searchText: request.query.searchText });
    return Promise.all(list.map(view));
  });
  app.get(
    '/elements/:keyOrId/instances',
    { schema: { tags, summary: "List an element's instances", params: scopedParams } },
    async (request) => {
      const principal = await principalOf(services, request);
      const element = services.catalog.find(request.params.keyOrId);
      const list = await services.instances.list(principal, {});
      return Promise.all(list.filter((i) => i.element.key === element?.key).map(view));
    },
  );

  for (const path of ['/instances/:id', '/elements/:keyOrId/instances/:id']) {
    const params = path.startsWith('/elements') ? scopedIdParams : idParams;
    app.get(path, { schema: { tags, summary: 'Retrieve an instance', params } }, async (request) => {
      const principal = await principalOf(services, request);
      return view(await services.instances.get(principal, request.params.id));
    });
    app.patch(
      path,
      { schema: { tags, summary: 'Update part of an instance', params, body: instanceBody } },
      async (request) => {
        const principal = await principalOf(services, request);
        return view(await services.instances.update(principal, request.params.id, request.body, 'patch'));
      },
    );
    app.put(
      path,
      { schema: { tags, summary: 'Replace or re-provision an instance', params, body: instanceBody, querystring: updateQuery } },
      async (request) => {
        const principal = await principalOf(services, request);
        const reAuthenticate = request.query.reAuthenticate?.toLowerCase() === 'true';
        const updated = await services.instances.update(principal, request.params.id, request.body, 'put', {
          reAuthenticate,
        });
        return view(updated);
      },
    );
    app.delete(path, { schema: { tags, summary: 'Delete an instance', params } }, async (request, reply) => {
      const principal = await principalOf(services, request);
      await services.instances.delete(principal, request.params.id);
      return reply.code(200).send();
    });
  }

  app.put('/instances/:id/enabled', { schema: { tags, summary: 'Enable an instance', params: idParams } }, async (request) => {
    const principal = await principalOf(services, request);
    return view(await services.instances.setDisabled(principal, request.params.id, false));
  });
  app.delete(
    '/instances/:id/enabled',
    { schema: { tags, summary: 'Disable an instance', params: idParams } },
    async (request) => {
      const principal = await principalOf(services, request);
      return view(await services.instances.setDisabled(principal, request.params.id, true));
    },
  );
}
