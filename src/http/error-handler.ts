import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { CeqlSyntaxError, CeqlUnsupportedError, CeqlValueError } from '../ceql/index.js';
import { ApiError, apiError } from './errors.js';
import { validationMessage } from './validation-message.js';

/** The Open Connectors error body (spec §5.5). */
export interface ErrorBody {
  requestId: string;
  message: string;
  code: string;
  providerMessage?: string;
  providerStatus?: number;
}

/**
 * The one place where a thrown error becomes a response. Expected failures are `ApiError`s;
 * Fastify's own (validation, bad JSON, media type) are translated; anything else is a bug,
 * logged with its stack and answered with a 500 that reveals nothing but the request id.
 */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const apiErr = toApiError(error, request);
  if (apiErr.status >= 500) request.log.error({ err: error }, 'request failed');
  else if (apiErr.provider) request.log.info({ provider: apiErr.provider, code: apiErr.code }, 'provider refused');
  const body: ErrorBody = { requestId: String(request.id), message: apiErr.message, code: apiErr.code };
  if (apiErr.provider?.message !== undefined) body.providerMessage = apiErr.provider.message;
  if (apiErr.provider?.status !== undefined) body.providerStatus = apiErr.provider.status;
  void reply.code(apiErr.status).headers(apiErr.headers).send(body);
}

function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof CeqlSyntaxError) return apiError('query.syntax', { detail: error.message });
  if (error instanceof CeqlUnsupportedError || error instanceof CeqlValueError) {
    return apiError('query.unsupported', { detail: error.message });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'request';
    const details = error.validation.map((v) => validationMessage(context, v, request));
    return apiError('request.invalid', { detail: details.join('; ') });
  }
  if (error instanceof ZodError) {
    // A handler's own parse of request input; its issues name the fields.
    const details = error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
    return apiError('request.invalid', { detail: details.join('; ') });
  }
  const fastifyError = error as Partial<FastifyError>;
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return apiError('request.json-invalid', { detail: (error as Error).message });
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return apiError('request.media-type', { type: request.headers['content-type'] ?? '(none)' });
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500 && fastifyError.message) {
    const status = fastifyError.statusCode;
    const err = apiError('request.invalid', { detail: fastifyError.message });
    return status === 400 ? err : new ApiError(err.code, status, err.message);
  }
  return apiError('internal');
}
