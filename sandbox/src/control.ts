/**
 * The test control API under `/_control`: reach into the sandbox to expire or revoke tokens,
 * script faults, change token lifetimes, turn refresh-token rotation off, move the clock, read
 * statistics, or start over.
 * It is not part of Keap; `control: false` leaves it unregistered (every path is then a 404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from './context.js';
import { badRequest } from './errors.js';
import { faultRuleSchema } from './gateway/faults.js';

const lifetimesSchema = z
  .object({
    accessTokenSeconds: z.int().min(1).optional(),
    refreshTokenSeconds: z.int().min(1).optional(),
    codeSeconds: z.int().min(1).optional(),
  })
  .strict();

const rotationSchema = z.object({ rotate: z.boolean() }).strict();

const advanceSchema = z.object({ seconds: z.number() }).strict();

export function registerControl(app: FastifyInstance, context: SandboxContext): void {
  app.register(
    async (control) => {
      control.post('/tokens/expire', async () => ({
        expired: context.grants.expireAccessTokens(),
      }));

      control.post('/grants/revoke', async () => ({ revoked: context.grants.revokeGrants() }));

      control.post('/faults', async (request, reply) => {
        context.faults.add(parse(faultRuleSchema, request));
        return reply.code(201).send({ faults: context.faults.list() });
      });

      control.get('/faults', async () => ({ faults: context.faults.list() }));

      control.delete('/faults', async () => {
        context.faults.clear();
        return { faults: [] };
      });

      control.put('/lifetimes', async (request) => {
        const changes = parse(lifetimesSchema, request);
        for (const [name, value] of Object.entries(changes)) {
          if (value !== undefined) context.lifetimes[name as keyof typeof changes] = value;
        }
        return { ...context.lifetimes };
      });

      control.put('/refresh-rotation', async (request) => {
        context.behaviour.rotateRefreshTokens = parse(rotationSchema, request).rotate;
        return { rotate: context.behaviour.rotateRefreshTokens };
      });

      control.get('/clock', async () => ({ now: context.clock.now() }));

      control.post('/clock/advance', async (request) => {
        context.clock.advance(parse(advanceSchema, request).seconds * 1000);
        return { now: context.clock.now() };
      });

      control.get('/stats', async () => structuredClone(context.stats));

      control.post('/reset', async () => {
        context.reset();
        return { reset: true };
      });
    },
    { prefix: '/_control' },
  );
}

/** Validates a JSON body, reporting every problem at once in a `{"message"}` 400. */
function parse<T extends z.ZodType>(schema: T, request: FastifyRequest): z.infer<T> {
  const result = schema.safeParse(request.body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
  );
  throw badRequest(`Invalid control request: ${problems.join('; ')}`);
}
