/** `/hooks` of REST v1 (keap.md §5.1) and the test controls under `/_control/hooks`. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import type { HookDispatcher } from './dispatcher.js';
import { EVENT_KEYS, hookView, type HookRegistry } from './registry.js';

const hookBody = z.object({ eventKey: z.string(), hookUrl: z.url() });

export function registerHooks(api: FastifyInstance, registry: HookRegistry): void {
  const find = (key: string) => {
    const hook = registry.get(key);
    if (!hook) throw notFound('Hook');
    return hook;
  };
  const body = (raw: unknown) => {
    const parsed = hookBody.safeParse(raw ?? {});
    if (!parsed.success) throw badRequest('A hook needs an eventKey and an absolute hookUrl');
    if (!EVENT_KEYS.includes(parsed.data.eventKey)) throw badRequest(`Invalid eventKey ${parsed.data.eventKey}`);
    return parsed.data;
  };

  api.get('/hooks/event_keys', async () => EVENT_KEYS);
  api.get('/hooks', async () => registry.all().map(hookView));
  api.post('/hooks', async (request) => {
    const { eventKey, hookUrl } = body(request.body);
    return hookView(await registry.verify(registry.create(eventKey, hookUrl)));
  });
  api.get<{ Params: { key: string } }>('/hooks/:key', async (request) => hookView(find(request.params.key)));
  api.put<{ Params: { key: string } }>('/hooks/:key', async (request) => {
    const hook = find(request.params.key);
    Object.assign(hook, body(request.body));
    return hookView(hook);
  });
  api.delete<{ Params: { key: string } }>('/hooks/:key', async (request, reply) => {
    if (!registry.delete(request.params.key)) throw notFound('Hook');
    return reply.code(204).send();
  });
  api.post<{ Params: { key: string } }>('/hooks/:key/verify', async (request) =>
    hookView(await registry.verify(find(request.params.key))),
  );
  api.post<{ Params: { key: string } }>('/hooks/:key/delayedVerify', async (request) => {
    const secret = request.headers['x-hook-secret'];
    return hookView(registry.delayedVerify(find(request.params.key), typeof secret === 'string' ? secret : undefined));
  });
}

const handshakeFaults = z.object({ fault: z.enum(['unreachable', 'lost-reply']), times: z.int().min(1).default(1) });

/**
 * Test controls: every hook with its URL, sending a hook's last batch again, and handshakes that
 * go wrong (`POST /_control/hooks/handshake-faults` `{"fault": "unreachable" | "lost-reply", "times": n}`).
 */
export function registerHookControls(app: FastifyInstance, registry: HookRegistry, dispatcher: HookDispatcher): void {
  app.get('/_control/hooks', async () => registry.all().map(hookView));
  app.post<{ Params: { key: string } }>('/_control/hooks/:key/resend', async (request) => {
    const hook = registry.get(request.params.key);
    if (!hook) throw notFound('Hook');
    if (!dispatcher.resend(hook)) throw badRequest('This hook has sent no batch yet');
    return { resent: true };
  });
  app.post('/_control/hooks/handshake-faults', async (request, reply) => {
    const parsed = handshakeFaults.safeParse(request.body ?? {});
    if (!parsed.success) throw badRequest('Expected {"fault": "unreachable" | "lost-reply", "times": <n ≥ 1>}');
    registry.failHandshakes(parsed.data.fault, parsed.data.times);
    return reply.code(201).send(parsed.data);
  });
}
