import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents, SIGNING_KEY } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { Receiver, type NotifiedEvent } from './support/receiver.js';
import { startStack, type ProvisionedInstance, type Stack } from './support/stack.js';
import { pollStates } from '../src/store/events.js';

const MINUTE = 60_000;

describe('events by polling', () => {
  let stack: Stack;
  let receiver: Receiver;
  let instance: ProvisionedInstance;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));

  beforeAll(async () => {
    stack = await startStack({ name: 'events-polling', clock, sandbox: { clock: () => clock.now() } });
    receiver = await new Receiver().start();
    instance = await provisionWithEvents(stack, receiver.url, {
      'event.poller.configuration': { orders: { pageSize: 5 } },
    });
    await stack.hub.services.events.runNow();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const poll = async () => {
    clock.advance(MINUTE);
    await stack.hub.services.events.runNow();
  };
  const notified = () => receiver.accepted().flatMap((n) => n.message.events);
  const platform = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.api}${path}`, { ...init, headers: { authorization: stack.platformAuth, ...init.headers } });

  it('reports nothing that changed before the instance existed', async () => {
    await poll();
    expect(receiver.received).toEqual([]);
  });

  it('picks up a created and an updated order, signed', async () => {
    clock.advance(1000);
    const created = (await backoffice(stack, 'POST', 'orders', { title: 'Back-office order' })) as { id: number };
    clock.advance(1000);
    await backoffice(stack, 'PATCH', 'orders/3', { title: 'Edited in Keap' });
    await poll();

    const events = notified();
    expect(events).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ objectType: 'orders', objectId: String(created.id), eventType: 'CREATED' }));
    expect(events).toContainEqual(expect.objectContaining({ objectId: '3', eventType: 'UPDATED' }));
    for (const r of receiver.received) {
      const expected = `sha256=${createHmac('sha256', SIGNING_KEY).update(r.body).digest('base64')}`;
      expect(r.headers['elements-webhook-signature']).toBe(expected);
      expect(r.headers['elements-webhook-id']).toBeTruthy();
      expect(JSON.parse(r.body).message.raw.objectType).toBe('orders');
    }
  });

  it('does not report the same change again on the next polls', async () => {
    const before = receiver.received.length;
    await poll();
    await poll();
    expect(receiver.received.length).toBe(before);
  });

  it('loses and doubles nothing when records change while a sweep pages through', async () => {
    receiver.received.length = 0;
    const changed = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
    for (const id of changed) {
      clock.advance(100);
      await backoffice(stack, 'PATCH', `orders/${id}`, { notes: `first ${id}` });
    }
    // Page 1 is answered at once, page 2 only after 800 ms: the edits below land in between.
    await fetch(`${stack.sandboxUrl}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/crm/rest/v1/orders', method: 'GET' }) });
    await fetch(`${stack.sandboxUrl}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/crm/rest/v1/orders', method: 'GET', delayMs: 800 }) });
    clock.advance(MINUTE);
    const sweeping = stack.hub.services.events.runNow();
    await waitForFaultsUsed(stack);
    const midSweep = [10, 20, 2]; // already read, not yet read, newly entering the window
    for (const id of midSweep) {
      clock.advance(100);
      await backoffice(stack, 'PATCH', `orders/${id}`, { notes: `second ${id}` });
    }
    await sweeping;
    await poll();
    await poll();

    const events = notified();
    const keys = events.map((e) => `${e.objectId}@${e.date}`);
    expect(new Set(keys).size).toBe(keys.length);
    const latest = await latestDates(stack, instance, [...changed, 2]);
    for (const [id, date] of latest) expect(events).toContainEqual(expect.objectContaining({ objectId: String(id), date }));
    expect(new Set(events.map((e: NotifiedEvent) => e.objectId))).toEqual(new Set([...changed, 2].map(String)));
  });

  it('shows each event reach NOTIFIED, newest first, with paging headers', async () => {
    const res = await platform(`/instances/${instance.id}/events?pageSize=2`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { id: string; status: string; notifiedData: unknown[] }[];
    expect(page).toHaveLength(2);
    expect(res.headers.get('elements-returned-count')).toBe('2');
    expect(Number(res.headers.get('elements-total-count'))).toBe(await countAll());
    expect(res.headers.get('elements-next-page-token')).toBeTruthy();
    const all = (await (await platform(`/instances/${instance.id}/events?pageSize=500`)).json()) as { id: string; status: string }[];
    expect(all.every((e) => e.status === 'NOTIFIED')).toBe(true);
    const one = await fetch(`${stack.api}/instances/events/${all[0]?.id}`, {
      headers: { authorization: `${stack.platformAuth}, Element ${instance.token}` },
    });
    expect(((await one.json()) as { id: string }).id).toBe(all[0]?.id);
    expect((await platform(`/instances/${instance.id}/events/nope`)).status).toBe(404);
  });

  it('keeps its schedule when a sweep starts late, and restarts it after a long outage', async () => {
    const due = async () => (await pollStates(stack.hub.services.db, instance.id))[0]?.nextPollAt.getTime() ?? 0;
    const first = await due();
    clock.advance(first + 20_000 - clock.now()); // the sweep waits 20 s for its turn
    await stack.hub.services.events.runNow();
    expect(await due()).toBe(first + MINUTE);

    clock.advance(first + 10 * MINUTE - clock.now()); // many intervals missed: no burst of catch-up sweeps
    await stack.hub.services.events.runNow();
    expect(await due()).toBe(first + 11 * MINUTE);
  });

  async function countAll(): Promise<number> {
    const res = await platform(`/instances/${instance.id}/events?pageSize=500`);
    return ((await res.json()) as unknown[]).length;
  }
});

async function waitForFaultsUsed(stack: Stack): Promise<void> {
  for (;;) {
    const { faults } = (await (await fetch(`${stack.sandboxUrl}/_control/faults`)).json()) as { faults: unknown[] };
    if (faults.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function latestDates(stack: Stack, instance: ProvisionedInstance, ids: number[]): Promise<Map<number, string>> {
  const dates = new Map<number, string>();
  for (const id of ids) {
    const res = await fetch(`${stack.api}/hubs/ecommerce/orders/${id}`, { headers: { authorization: instance.hubAuth } });
    const order = (await res.json()) as { modification_date: string };
    dates.set(id, new Date(order.modification_date.replace(/(\d{2})(\d{2})$/, '$1:$2')).toISOString());
  }
  return dates;
}
