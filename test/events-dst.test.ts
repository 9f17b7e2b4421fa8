import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver } from './support/receiver.js';
import { startStack, type Stack } from './support/stack.js';

const MINUTE = 60_000;

describe('polling across a DST change', () => {
  let stack: Stack;
  let receiver: Receiver;
  // 01:40 EDT on the night New York turns its clocks back from 02:00 EDT to 01:00 EST.
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 5, 40));

  beforeAll(async () => {
    stack = await startStack({ name: 'events-dst', clock, sandbox: { clock: () => clock.now() } });
    receiver = await new Receiver().start();
    const url = "/hubs/ecommerce/orders?where=since='${dateTimeZone:America/New_York:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}'";
    await provisionWithEvents(stack, receiver.url, {
      'event.poller.configuration': JSON.stringify({
        orders: {
          url,
          idField: 'id',
          datesConfiguration: {
            updatedDateField: 'modification_date',
            updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
            updatedDateTimezone: 'America/New_York',
            createdDateField: 'creation_date',
            createdDateFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
          },
          pageSize: 10,
        },
      }),
    });
    await stack.hub.services.events.runNow();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const edit = async (id: number, advanceMs: number) => {
    clock.advance(advanceMs);
    await backoffice(stack, 'PATCH', `orders/${id}`, { notes: `edit at ${new Date(clock.now()).toISOString()}` });
  };
  const poll = async (ms: number) => {
    clock.advance(ms);
    await stack.hub.services.events.runNow();
  };
  const reported = () => receiver.accepted().flatMap((n) => n.message.events.map((e) => e.objectId));

  it('reports changes on both sides of the hour that happens twice', async () => {
    await edit(31, 10 * MINUTE); // 01:50 EDT
    await poll(5 * MINUTE); // 01:55 EDT
    expect(reported()).toEqual(['31']);
    await edit(32, 10 * MINUTE); // 01:05 EST, a wall-clock time earlier than the last poll
    await poll(MINUTE);
    await edit(33, 30 * MINUTE); // 01:36 EST
    await poll(MINUTE);
    expect(reported()).toEqual(['31', '32', '33']);
  });
});
