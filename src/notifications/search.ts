import { equalities } from '../ceql/index.js';
import { apiError } from '../http/errors.js';
import type { NotificationSearch } from '../store/notifications.js';
import { NOTIFICATION_SEVERITIES, type NotificationSeverity } from '../store/schema.js';

/**
 * The search query `GET /notifications` requires (spec §6.5: without one, 400): `topics[]`
 * (repeatable; `topics` is read the same way) and/or a CEQL `where` with = or IN on `topic`,
 * `severity` and `acknowledged`, joined by AND. Several constraints on topics intersect.
 */
export function notificationSearch(query: {
  topics?: string | string[] | undefined;
  'topics[]'?: string | string[] | undefined;
  where?: string | undefined;
}): NotificationSearch {
  const topics = [query['topics[]'], query.topics].flat().filter((t): t is string => !!t?.trim());
  const where = query.where?.trim();
  if (topics.length === 0 && !where) throw apiError('notification.search-missing');

  const search: NotificationSearch = topics.length > 0 ? { topics } : {};
  if (where) for (const { field, values } of equalities(where, unsupported)) apply(search, field, values);
  return search;
}

function apply(search: NotificationSearch, field: string, values: string[]): void {
  if (field === 'topic') {
    search.topics = search.topics ? search.topics.filter((t) => values.includes(t)) : values;
  } else if (field === 'severity') {
    const unknown = values.filter((v) => !NOTIFICATION_SEVERITIES.includes(v as NotificationSeverity));
    if (unknown.length > 0) {
      throw unsupported(`severity ${unknown.join(', ')} is unknown; one of low, medium, high`);
    }
    search.severities = values as NotificationSeverity[];
  } else if (field === 'acknowledged') {
    if (values.length !== 1 || !['true', 'false'].includes(values[0] ?? '')) {
      throw unsupported('acknowledged is true or false');
    }
    search.acknowledged = values[0] === 'true';
  } else {
    throw unsupported(`'${field}' cannot be searched on`);
  }
}

function unsupported(detail: string) {
  return apiError('query.unsupported', {
    detail:
      `${detail}; notifications are searched with = or IN on topic, severity and acknowledged, ` +
      'joined by AND',
  });
}
