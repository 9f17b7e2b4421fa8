/**
 * Appointments — list (`contact_id`, `since`/`until` on the start date), create, read, `PUT`,
 * `PATCH`, delete. v1 appointments carry no created/modified dates (keap.md §3.3).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { AppointmentRecord } from '../data/models-crm.js';
import { badRequest } from '../errors.js';
import { applyDefined, dateTime, findRecord, parseBody } from './body.js';
import { listEnvelope } from './paging.js';
import { queryDate, queryInt, type RawQuery } from './query.js';
import { withinWindow } from './sorting.js';

const appointmentBody = z.object({
  title: z.string().min(1).optional(),
  description: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  start_date: dateTime.optional(),
  end_date: dateTime.optional(),
  remind_time: z.int().nullable().optional(),
  contact_id: z.int().nullable().optional(),
  user: z.int().nullable().optional(),
});

export function registerAppointments(app: FastifyInstance, context: SandboxContext): void {
  app.get('/appointments', async (request) => {
    const query = request.query as RawQuery;
    const contactId = queryInt(query, 'contact_id');
    const since = queryDate(query, 'since');
    const until = queryDate(query, 'until');
    const matching = context.data.appointments
      .all()
      .filter(
        (row) =>
          withinWindow(row.start_date, since, until) &&
          (contactId === undefined || row.contact_id === contactId),
      );
    return listEnvelope(request, 'appointments', matching, appointmentView, { sync_token: null });
  });

  app.post('/appointments', async (request, reply) => {
    const body = parseBody(appointmentBody, request);
    const { title, start_date: start, end_date: end } = body;
    if (!title || start === undefined || end === undefined) {
      throw badRequest('title, start_date and end_date are required');
    }
    const draft = applyDefined(blank(title, start, end), body);
    checkDates(draft);
    const row = context.data.appointments.insert((id) => ({ ...draft, id }));
    return reply.code(201).send(appointmentView(row));
  });

  app.get<{ Params: { id: string } }>('/appointments/:id', async (request) =>
    appointmentView(findRecord(context.data.appointments, request.params.id, 'Appointment')),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method]<{ Params: { id: string } }>('/appointments/:id', async (request) => {
      const row = findRecord(context.data.appointments, request.params.id, 'Appointment');
      const updated = applyDefined({ ...row }, parseBody(appointmentBody, request));
      checkDates(updated);
      context.data.appointments.put(updated);
      return appointmentView(updated);
    });
  }

  app.delete<{ Params: { id: string } }>('/appointments/:id', async (request, reply) => {
    const row = findRecord(context.data.appointments, request.params.id, 'Appointment');
    context.data.appointments.delete(row.id);
    return reply.code(204).send();
  });
}

function checkDates(row: AppointmentRecord): void {
  if (row.end_date < row.start_date) throw badRequest('end_date must not be before start_date');
}

export function appointmentView(row: AppointmentRecord) {
  return {
    ...row,
    start_date: formatV1Date(row.start_date),
    end_date: formatV1Date(row.end_date),
  };
}

function blank(title: string, start: number, end: number): AppointmentRecord {
  return {
    id: 0,
    title,
    description: null,
    location: null,
    start_date: start,
    end_date: end,
    remind_time: null,
    contact_id: null,
    user: null,
  };
}
