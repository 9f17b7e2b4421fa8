/** Users — `GET /users` (`include_inactive`, `include_partners`) and `POST /users` (an invite). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { TENANT } from '../data/dataset.js';
import { formatV1Date } from '../data/dates.js';
import type { UserRecord } from '../data/models.js';
import { badRequest } from '../errors.js';
import { parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryBoolean, type RawQuery } from './query.js';

const userBody = z.object({
  email: z.email(),
  given_name: z.string().min(1),
  admin: z.boolean().default(false),
  partner: z.boolean().default(false),
});

export function registerUsers(app: FastifyInstance, context: SandboxContext): void {
  app.get('/users', async (request) => {
    const query = request.query as RawQuery;
    const inactive = queryBoolean(query, 'include_inactive') ?? false;
    const partners = queryBoolean(query, 'include_partners') ?? false;
    const matching = context.data.users
      .all()
      .filter((user) => (inactive || user.status !== 'Inactive') && (partners || !user.partner));
    return listEnvelope(request, 'users', matching, userView);
  });

  app.post('/users', async (request, reply) => {
    const body = parseBody(userBody, request);
    const taken = context.data.users
      .all()
      .some((user) => user.email_address.toLowerCase() === body.email.toLowerCase());
    if (taken) throw badRequest(`A user with email ${body.email} already exists`);

    const now = context.clock.now();
    const user = context.data.users.insert((id) => ({
      id,
      given_name: body.given_name,
      family_name: '',
      email_address: body.email,
      status: 'Invited',
      admin: body.admin,
      partner: body.partner,
      global_user_id: 90_000 + id,
      time_zone: 'America/Phoenix',
      date_created: now,
      last_updated: now,
    }));
    return reply.code(201).send(userView(user));
  });
}

export function userView(user: UserRecord) {
  return {
    id: user.id,
    given_name: user.given_name,
    family_name: user.family_name,
    middle_name: null,
    preferred_name: null,
    email_address: user.email_address,
    status: user.status,
    partner: user.partner,
    global_user_id: user.global_user_id,
    infusionsoft_id: TENANT,
    time_zone: user.time_zone,
    company_name: null,
    job_title: null,
    website: null,
    address: null,
    phone_numbers: [],
    fax_numbers: [],
    created_by: null,
    last_updated_by: null,
    date_created: formatV1Date(user.date_created),
    last_updated: formatV1Date(user.last_updated),
  };
}
