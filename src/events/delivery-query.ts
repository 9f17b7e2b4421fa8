import { equalities } from '../ceql/index.js';
import { apiError } from '../http/errors.js';
import type { DeliveryFilter } from '../store/deliveries.js';
import type { DeliveryStatus } from '../store/schema.js';

const statuses: DeliveryStatus[] = ['created', 'retry', 'delivered', 'notified', 'queued'];

/**
 * Reads the `where` of the deliveries API (`channel='webhook' and status='queued' and
 * config.url='…'`): equality (or IN) on `channel`, `status`, `config.url` and
 * `notificationId`, joined by AND.
 */
export function deliveryFilter(where: string | undefined): DeliveryFilter {
  const filter: DeliveryFilter = {};
  if (!where?.trim()) return filter;
  for (const { field, values } of equalities(where, unsupported)) apply(filter, field, values);
  return filter;
}

function apply(filter: DeliveryFilter, field: string, values: string[]): void {
  if (field === 'channel') {
    if (!values.includes('webhook')) filter.matchNone = true;
  } else if (field === 'status') {
    const wanted = values.map((v) => v.toLowerCase());
    const unknown = wanted.filter((v) => !statuses.includes(v as DeliveryStatus));
    if (unknown.length > 0) throw unsupported(`status ${unknown.join(', ')} is unknown; one of ${statuses.join(', ')}`);
    filter.status = wanted as DeliveryStatus[];
  } else if (field === 'config.url') {
    filter.url = values[0] as string;
  } else if (field === 'notificationId') {
    filter.eventId = values[0] as string;
  } else {
    throw unsupported(`'${field}' cannot be filtered on`);
  }
}

function unsupported(detail: string) {
  return apiError('query.unsupported', {
    detail: `${detail}; deliveries filter with = or IN on channel, status, config.url and notificationId, joined by AND`,
  });
}
