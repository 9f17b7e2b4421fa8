import type { FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import type { Principal } from '../store/organizations.js';
import { principalOf, type Services } from './context.js';

/**
 * The instance a platform call is about: `/instances/{id}/…` names it, the token-scoped twin
 * `/instances/…` takes it from the `Element` token next to the User and Organization secrets.
 */
export async function scopedInstance(
  services: Services,
  request: FastifyRequest,
  id: number | undefined,
): Promise<{ principal: Principal; instance: Instance }> {
  const principal = await principalOf(services, request);
  if (id !== undefined) return { principal, instance: await services.instances.get(principal, id) };
  const token = services.auth.credentials(request).element;
  if (!token) throw apiError('auth.element-token-missing');
  const instance = await services.instances.forToken(token);
  if (!instance || instance.organizationId !== principal.organization.id) {
    throw apiError('auth.element-token-wrong');
  }
  return { principal, instance };
}
