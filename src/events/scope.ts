import type { FastifyRequest } from 'fastify';
import { principalOf, type Services } from '../platform/context.js';
import { scopedInstance } from '../platform/instance-scope.js';

/**
 * `/instances/{id}/events` names the instance; `/instances/events` takes it from the Element
 * token, or, with none, covers every instance of the organization.
 */
export async function scopeIds(services: Services, request: FastifyRequest, id: number | undefined): Promise<number[]> {
  if (id !== undefined || services.auth.credentials(request).element) {
    return [(await scopedInstance(services, request, id)).instance.id];
  }
  const principal = await principalOf(services, request);
  return (await services.instances.list(principal, {})).map((i) => i.id);
}

