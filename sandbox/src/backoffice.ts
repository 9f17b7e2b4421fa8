/**
 * The back office under `/_control/backoffice`: changes records as a user would in Keap's own
 * screens, so that pollers and REST hooks see changes Junction did not make. Every write sets
 * the server-managed dates from the sandbox clock and publishes a change for the hooks.
 *
 * `POST /_control/backoffice/{resource}` creates (body: fields to set), `PATCH …/{id}`
 * changes fields, `DELETE …/{id}` deletes; resources: orders, contacts, products.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import type { Collection as Table } from './data/collection.js';
import { badRequest, notFound } from './errors.js';
import { orderView } from './rest/orders.js';
import { productView } from './rest/products.js';
import { fullContact } from './rest/contact-views.js';

interface Kind<T extends { id: number }> {
  noun: string;
  label: string;
  table(context: SandboxContext): Table<T>;
  /** Sets the server-managed dates of a created (or, with `created` false, changed) record. */
  stamp(row: T, now: number, created: boolean): void;
  view(context: SandboxContext, row: T): unknown;
}

const kinds: Record<string, Kind<{ id: number }>> = {
  orders: kind({
    noun: 'order',
    label: 'Order',
    table: (c) => c.data.orders,
    stamp: (row, now, created) => {
      if (created) row.creation_date = now;
      row.modification_date = now;
    },
    view: (_c, row) => orderView(row),
  }),
  contacts: kind({
    noun: 'contact',
    label: 'Contact',
    table: (c) => c.data.contacts,
    stamp: (row, now, created) => {
      if (created) row.date_created = now;
      row.last_updated = now;
    },
    view: (c, row) => fullContact(c.data, row, []),
  }),
  products: kind({
    noun: 'product',
    label: 'Product',
    table: (c) => c.data.products,
    // Keap's v1 products carry no dates (keap.md §9.11): hooks are how changes show.
    stamp: () => undefined,
    view: (_c, row) => productView(row),
  }),
};

function kind<T extends { id: number }>(k: Kind<T>): Kind<{ id: number }> {
  return k as unknown as Kind<{ id: number }>;
}

export function registerBackoffice(app: FastifyInstance, context: SandboxContext): void {
  const kindOf = (resource: string) => {
    const found = kinds[resource];
    if (!found) throw badRequest(`The back office edits ${Object.keys(kinds).join(', ')}, not '${resource}'`);
    return found;
  };

  app.post<{ Params: { resource: string } }>('/_control/backoffice/:resource', async (request, reply) => {
    const k = kindOf(request.params.resource);
    const template = k.table(context).all()[0];
    if (!template) throw badRequest(`There is no ${k.noun} to model a new one on`);
    const now = context.clock.now();
    const row = k.table(context).insert((id) => {
      const created = { ...structuredClone(template), ...fields(request.body), id };
      k.stamp(created, now, true);
      return created;
    });
    context.changes.publish({ noun: k.noun, verb: 'add', id: row.id, at: now });
    return reply.code(201).send(k.view(context, row));
  });

  app.patch<{ Params: { resource: string; id: string } }>('/_control/backoffice/:resource/:id', async (request) => {
    const k = kindOf(request.params.resource);
    const current = k.table(context).get(Number(request.params.id));
    if (!current) throw notFound(k.label);
    const now = context.clock.now();
    const row = { ...current, ...fields(request.body), id: current.id };
    k.stamp(row, now, false);
    k.table(context).put(row);
    context.changes.publish({ noun: k.noun, verb: 'edit', id: row.id, at: now });
    return k.view(context, row);
  });

  app.delete<{ Params: { resource: string; id: string } }>('/_control/backoffice/:resource/:id', async (request, reply) => {
    const k = kindOf(request.params.resource);
    if (!k.table(context).delete(Number(request.params.id))) throw notFound(k.label);
    context.changes.publish({ noun: k.noun, verb: 'delete', id: Number(request.params.id), at: context.clock.now() });
    return reply.code(204).send();
  });
}

/** The body's fields; the id and server-managed dates are not the caller's to set. */
function fields(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const { id: _id, ...rest } = body as Record<string, unknown>;
  for (const managed of ['creation_date', 'modification_date', 'date_created', 'last_updated']) delete rest[managed];
  return rest;
}
