/**
 * Contacts — `GET /contacts` and `GET /contacts/{id}` (keap.md §3.3). `since`/`until` match
 * `last_updated`; `email`, `given_name` and `family_name` match whole values, ignoring case.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import type { ContactRecord } from '../data/models.js';
import { notFound } from '../errors.js';
import { contactListItem, fullContact } from './contact-views.js';
import { listEnvelope } from './paging.js';
import { pathId, queryChoice, queryDate, queryList, queryText, type RawQuery } from './query.js';
import { sortRows, withinWindow, type SortKey } from './sorting.js';

const lower = (value: string | null | undefined) => value?.toLowerCase() ?? null;

const ORDER_KEYS = {
  id: (c: ContactRecord): SortKey => c.id,
  date_created: (c: ContactRecord): SortKey => c.date_created,
  last_updated: (c: ContactRecord): SortKey => c.last_updated,
  name: (c: ContactRecord): SortKey => lower(`${c.family_name ?? ''} ${c.given_name ?? ''}`),
  firstName: (c: ContactRecord): SortKey => lower(c.given_name),
  email: (c: ContactRecord): SortKey => lower(c.email_addresses[0]?.email),
} as const;
const ORDER_FIELDS = Object.keys(ORDER_KEYS) as (keyof typeof ORDER_KEYS)[];

export function registerContacts(app: FastifyInstance, context: SandboxContext): void {
  app.get('/contacts', async (request) => {
    const query = request.query as RawQuery;
    const filter = readFilter(query);
    const order = queryChoice(query, 'order', ORDER_FIELDS) ?? 'id';
    const direction = queryChoice(query, 'order_direction', ['ascending', 'descending'] as const);
    const optional = queryList(query, 'optional_properties');

    const matching = context.data.contacts.all().filter((contact) => filter(contact));
    const sorted = sortRows(matching, ORDER_KEYS[order], direction);
    return listEnvelope(request, 'contacts', sorted, (contact) =>
      contactListItem(context.data, contact, optional),
    );
  });

  app.get<{ Params: { id: string } }>('/contacts/:id', async (request) => {
    const contact = context.data.contacts.get(pathId(request.params.id, 'contact'));
    if (!contact) throw notFound('Contact');
    const optional = queryList(request.query as RawQuery, 'optional_properties');
    return fullContact(context.data, contact, optional);
  });
}

function readFilter(query: RawQuery): (contact: ContactRecord) => boolean {
  const email = lower(queryText(query, 'email'));
  const givenName = lower(queryText(query, 'given_name'));
  const familyName = lower(queryText(query, 'family_name'));
  const since = queryDate(query, 'since');
  const until = queryDate(query, 'until');

  return (contact) =>
    withinWindow(contact.last_updated, since, until) &&
    (email === null || contact.email_addresses.some((entry) => lower(entry.email) === email)) &&
    (givenName === null || lower(contact.given_name) === givenName) &&
    (familyName === null || lower(contact.family_name) === familyName);
}
