import { useCallback, useEffect, useState } from 'react';
import { api, REDELIVERABLE, type Delivery, type EventRecord } from '../api.js';

const RECENT = 20;

interface Row {
  event: EventRecord;
  /** The event's delivery to the callback; none when events had no callback URL. */
  delivery: Delivery | undefined;
}

/** Loads the recent events and, for each, its delivery (one query per event). */
async function loadRows(instanceId: number): Promise<Row[]> {
  const events = await api.events(instanceId, RECENT);
  return Promise.all(
    events.map(async (event) => ({ event, delivery: (await api.deliveries(event.id)).at(-1) })),
  );
}

/** The instance's recent events, their deliveries, and redelivery of a failed one. */
export function InstanceEvents({ instanceId }: { instanceId: number }) {
  const [rows, setRows] = useState<Row[]>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const refresh = useCallback(async () => {
    setProblem(undefined);
    try {
      setRows(await loadRows(instanceId));
    } catch (err) {
      setProblem((err as Error).message);
    }
  }, [instanceId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const redeliver = async (eventId: string) => {
    setBusy(eventId);
    setNotice(undefined);
    setProblem(undefined);
    try {
      const made = await api.redeliver(eventId);
      setNotice(made.length > 0 ? `Redelivery of ${eventId} started.` : 'Nothing to redeliver.');
      await refresh();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="events-title" className="events">
      <h2 id="events-title">Events</h2>
      <p className="hint">The {RECENT} most recent events and their delivery to the callback.</p>
      <button type="button" onClick={() => void refresh()}>
        Refresh events
      </button>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!rows ? (
        !problem && <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <EventTable rows={rows} busy={busy} onRedeliver={(id) => void redeliver(id)} />
      )}
    </section>
  );
}

function EventTable({
  rows,
  busy,
  onRedeliver,
}: {
  rows: Row[];
  busy: string | undefined;
  onRedeliver: (eventId: string) => void;
}) {
  return (
    <table className="events-table">
      <caption className="visually-hidden">Recent events and deliveries</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Date</th>
          <th scope="col">Event status</th>
          <th scope="col">Delivery</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ event, delivery }) => (
          <tr key={event.id} className="event-row" data-id={event.id}>
            <th scope="row" data-label="Event">
              <code>{event.id}</code>
            </th>
            <td data-label="Date">{new Date(event.eventDate).toLocaleString()}</td>
            <td data-label="Event status" className="event-status">
              {event.status}
            </td>
            <td data-label="Delivery" className="delivery-status">
              <DeliveryState delivery={delivery} />
            </td>
            <td data-label="Action">
              {delivery && REDELIVERABLE.includes(delivery.status) && (
                <button
                  type="button"
                  disabled={busy === event.id}
                  aria-label={`Redeliver event ${event.id}`}
                  onClick={() => onRedeliver(event.id)}
                >
                  Redeliver
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeliveryState({ delivery }: { delivery: Delivery | undefined }) {
  if (!delivery) return <span className="hint">none</span>;
  const failed = REDELIVERABLE.includes(delivery.status);
  const last = delivery.lastResponseStatus ?? delivery.lastError;
  return (
    <>
      <span className={`badge ${failed ? 'bad' : delivery.status === 'created' ? '' : 'ok'}`}>
        {delivery.status}
      </span>{' '}
      <span className="hint">
        {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
        {last !== null && `, last: ${last}`}
      </span>
    </>
  );
}
