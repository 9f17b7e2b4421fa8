import type { FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import type { Services } from '../platform/context.js';

/** The instance behind the Element token, checked for ownership, state and validity. */
export async function instanceOf(
  services: Services,
  request: FastifyRequest,
  options: { allowDisabled?: boolean } = {},
): Promise<Instance> {
  const credentials = services.auth.credentials(request);
  if (!credentials.element) {
    if (!credentials.user && request.headers.authorization === undefined) {
      throw apiError('route.not-found', { method: request.method, path: request.url.split('?')[0] ?? '' });
    }
    throw apiError('auth.element-token-missing');
  }
  const user = await services.auth.hubUser(credentials, true);
  const instance = await services.instances.forToken(credentials.element);
  if (!instance || instance.organizationId !== user.organizationId) throw apiError('auth.element-token-wrong');
  if (instance.disabled && !options.allowDisabled) throw apiError('instance.disabled', { id: instance.id });
  if (!instance.valid) throw apiError('instance.invalid', { id: instance.id });
  return instance;
}
