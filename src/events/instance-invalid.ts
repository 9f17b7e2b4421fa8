import type { Clock } from '../clock.js';
import { apiError } from '../http/errors.js';
import type { Instance } from '../instances/model.js';
import { storeEvents } from '../store/events.js';
import type { Database } from '../store/open.js';
import { eventDrafts } from './notification.js';
import { readEventSettings } from './settings.js';

/**
 * Tells the app that an instance lost its provider authorization (the provider refused its
 * refresh token with `invalid_grant`): an event of object type `instance`, event type `UPDATED`,
 * whose `raw` says the instance is no longer valid and how to re-authenticate it. It goes into
 * the outbox like any change, so it is delivered, signed and retried like one. Only instances
 * with events enabled hear of it. `db` is the transaction that marked the instance invalid, so
 * the event exists exactly when the instance turned invalid.
 */
export function instanceInvalidEvents(clock: Clock) {
  return async (db: Database, instance: Instance): Promise<void> => {
    if (!readEventSettings(instance.element, instance.configuration).enabled) return;
    const now = new Date(clock.now());
    const date = now.toISOString();
    const objectId = String(instance.id);
    const change = { objectType: 'instance', objectId, eventType: 'UPDATED' as const, date, changedAt: date };
    const raw = {
      objectType: 'instance',
      instance: { id: instance.id, name: instance.name, elementKey: instance.element.key, valid: false },
      reason: 'invalid_grant',
      message: apiError('instance.invalid', { id: instance.id }).message,
    };
    const context = {
      instanceId: instance.id,
      elementKey: instance.element.key,
      hubKey: instance.element.hub,
      userId: instance.userId,
      organizationId: instance.organizationId,
    };
    const owner = { ...context, source: 'platform' as const };
    await storeEvents(db, owner, [change], (fresh) => eventDrafts(fresh, 1, context, raw), now);
  };
}
