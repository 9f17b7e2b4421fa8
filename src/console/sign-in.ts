import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, apiError } from '../http/errors.js';
import type { Principal } from '../store/organizations.js';
import { CALLBACK_PATH, type ConsoleContext } from './context.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookie.js';
import { checkOrigin, ownOrigin } from './guard.js';
import type { SessionSecrets } from './sessions.js';

const signInBody = z.object({ user: z.string().trim(), organization: z.string().trim() });
const legacyBody = z.object({ j_username: z.string().trim(), j_password: z.string().trim() });

const tags = ['console'];

/**
 * Console sessions: `/console/session` for the console itself, and the legacy form login of
 * spec §1.5 (`j_username` is the user secret, `j_password` the organization secret; Junction
 * has no passwords) with `getSecrets`, which hands back the secrets the session was opened with.
 */
export function signInRoutes(context: ConsoleContext): void {
  const { app, sessions } = context;

  app.post(
    '/console/session',
    { schema: { tags, summary: 'Sign in to the console', body: signInBody }, config: { forms: true } },
    async (request, reply) => {
      checkOrigin(request, context.publicUrl);
      const secrets = { user: request.body.user, organization: request.body.organization };
      const principal = await verify(context, secrets, 'user secret and organization secret');
      setSessionCookie(reply, sessions.create(secrets), isHttps(request, context));
      return whoAmI(context, request, principal);
    },
  );

  app.get(
    '/console/session',
    { schema: { tags, summary: 'The signed-in console user' } },
    async (request) => {
      checkOrigin(request, context.publicUrl);
      const session = sessions.require(readSessionCookie(request));
      return whoAmI(context, request, await verify(context, session.secrets, 'session secrets'));
    },
  );

  app.delete(
    '/console/session',
    { schema: { tags, summary: 'Sign out of the console' } },
    async (request, reply) => {
      checkOrigin(request, context.publicUrl);
      sessions.end(readSessionCookie(request));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/elements/j_spring_security_check',
    { schema: { tags, summary: 'Legacy form login (spec §1.5)', body: legacyBody }, config: { forms: true } },
    async (request, reply) => {
      const secrets = { user: request.body.j_username, organization: request.body.j_password };
      await verify(
        context,
        secrets,
        'j_username (user secret) and j_password (organization secret)',
      );
      setSessionCookie(reply, sessions.create(secrets), isHttps(request, context));
      // Legacy clients do not follow the redirect a form login usually answers with.
      return reply.code(200).send({ authenticated: true });
    },
  );

  app.get(
    '/elements/api-v1/ui/getSecrets',
    { schema: { tags, summary: "The session's secrets (spec §1.5)" } },
    async (request) => {
      checkOrigin(request, context.publicUrl);
      const session = sessions.require(readSessionCookie(request));
      return { user: session.secrets.user, company: session.secrets.organization };
    },
  );
}

async function verify(
  context: ConsoleContext,
  secrets: SessionSecrets,
  fields: string,
): Promise<Principal> {
  try {
    return await context.services.auth.platform(secrets, true);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      throw apiError('console.sign-in-failed', { fields });
    throw err;
  }
}

/** What the console shows about the user, and the OAuth apps it may prefill per element. */
function whoAmI(context: ConsoleContext, request: FastifyRequest, principal: Principal) {
  const apps: Record<string, { clientId: string; clientSecretConfigured: boolean }> = {};
  for (const element of context.services.catalog.elements) {
    const configured = context.providerApps[element.provider.name];
    apps[element.key] = {
      clientId: configured?.clientId ?? '',
      clientSecretConfigured: configured?.clientSecret !== undefined,
    };
  }
  const { user, organization } = principal;
  return {
    user: { email: user.email, firstName: user.firstName, lastName: user.lastName },
    organization: { name: organization.name },
    callbackUrl: ownOrigin(request, context.publicUrl) + CALLBACK_PATH,
    apps,
  };
}

function isHttps(request: FastifyRequest, context: ConsoleContext): boolean {
  return ownOrigin(request, context.publicUrl).startsWith('https:');
}
