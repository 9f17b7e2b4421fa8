import { randomUUID } from 'node:crypto';
import type { EventDraft } from '../store/events.js';
/** Event types the platform normalises to (spec §6.1). */
export type EventType = 'CREATED' | 'UPDATED' | 'DELETED' | 'UNKNOWN';

/** One change of one object, as found by a poll or confirmed from a webhook. */
export interface Change {
  objectType: string;
  objectId: string;
  eventType: EventType;
  /** When the object changed (its updated date), ISO. */
  date: string;
}

export interface NotificationContext {
  instanceId: number;
  elementKey: string;
  hubKey: string;
  userId: number;
  organizationId: number;
  /** Set for polling: when the poll that found the changes ran, ISO. */
  pollDate?: string;
}

/** At most this many event objects per notification (spec §6.3, help center §2). */
export const CHUNK = { polling: 10, webhook: 20 } as const;

/** Splits changes into notification-sized parts. */
export function chunk<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/**
 * The callback body of spec §6.3. Each part of a split batch repeats the whole `raw`, as the
 * platform did; the body is serialised once and stored, so every retry sends (and signs) the
 * same bytes.
 */
export function notificationBody(
  eventId: string,
  context: NotificationContext,
  changes: Change[],
  raw: unknown,
): string {
  const { instanceId, elementKey, hubKey, pollDate } = context;
  return JSON.stringify({
    message: {
      eventId,
      instanceId,
      instance_id: instanceId,
      elementKey,
      accountId: context.organizationId,
      companyId: context.organizationId,
      userId: context.userId,
      raw,
      events: changes.map((change) => ({
        objectType: change.objectType,
        objectId: change.objectId,
        eventType: change.eventType,
        elementKey,
        hubKey,
        date: change.date,
        ...(pollDate ? { pollDate } : {}),
      })),
    },
  });
}

/** What a poll reports as `raw`: existing clients read `message.raw.objectType` (spec §6.2). */
export function pollingRaw(resource: string, records: unknown[]): Record<string, unknown> {
  return { [resource]: records, objectType: resource };
}

/**
 * The events a batch of changes becomes: notifications of at most `size` events, each
 * repeating the whole `raw`, each with its own stable event id.
 */
export function eventDrafts(
  changes: (Change & { changedAt: string })[],
  size: number,
  context: NotificationContext,
  raw: unknown,
): EventDraft[] {
  const providerData = JSON.stringify(raw);
  return chunk(changes, size).map((part) => {
    const id = randomUUID();
    return {
      id,
      changes: part.map(({ objectType, objectId, changedAt }) => ({ objectType, objectId, changedAt })),
      providerData,
      body: notificationBody(id, context, part, raw),
    };
  });
}
