import { useEffect, useState, type FormEvent } from 'react';
import { api, type Instance } from '../api.js';
import { Link, navigate } from '../router.js';
import { InstanceEvents } from './instance-events.js';
import { StatusBadges } from './status.js';

const MASK = '********';

export function InstancePage({ id, authenticated }: { id: number; authenticated: boolean }) {
  const [instance, setInstance] = useState<Instance>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string | undefined>(
    authenticated ? 'Authenticated: the instance is ready.' : undefined,
  );
  const [confirming, setConfirming] = useState(false);
  const [showToken, setShowToken] = useState(false);

  useEffect(() => {
    api.instance(id).then(setInstance, (err: Error) => setProblem(err.message));
  }, [id]);

  const act = async (what: () => Promise<Instance>, done: string) => {
    setProblem(undefined);
    try {
      setInstance(await what());
      setNotice(done);
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  const remove = async () => {
    try {
      await api.deleteInstance(id);
      navigate('/console/instances');
    } catch (err) {
      setProblem((err as Error).message);
    }
  };

  if (!instance) {
    return (
      <section>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </section>
    );
  }
  return (
    <section>
      <p>
        <Link to="/console/instances">← Instances</Link>
      </p>
      <h1>{instance.name}</h1>
      <StatusBadges instance={instance} />
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

      <dl className="facts">
        <dt>Id</dt>
        <dd>{instance.id}</dd>
        <dt>Element</dt>
        <dd>
          {instance.element.name} (<code>{instance.element.key}</code>)
        </dd>
        <dt>Created</dt>
        <dd>{new Date(instance.createdDate).toLocaleString()}</dd>
        <dt>Tags</dt>
        <dd>{instance.tags.join(', ') || '—'}</dd>
        <dt>Token</dt>
        <dd>
          <code className="token">{showToken ? instance.token : MASK}</code>{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => setShowToken(!showToken)}
            aria-pressed={showToken}
          >
            {showToken ? 'Hide' : 'Show'}
          </button>
        </dd>
      </dl>

      <div className="actions">
        {instance.disabled ? (
          <button
            type="button"
            onClick={() => void act(() => api.setEnabled(id, true), 'Enabled.')}
          >
            Enable
          </button>
        ) : (
          <button
            type="button"
            onClick={() => void act(() => api.setEnabled(id, false), 'Disabled.')}
          >
            Disable
          </button>
        )}
        <Link
          className="button"
          to={`/console/elements/${instance.element.key}?reauthenticate=${id}`}
        >
          Re-authenticate
        </Link>
        <Link className="button" to={`/console/instances/${id}/docs`}>
          API docs
        </Link>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete…
        </button>
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-title">
          <p id="confirm-title">
            Delete “{instance.name}”? Its token stops working at once; this cannot be undone.
          </p>
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete instance
          </button>
          <button type="button" onClick={() => setConfirming(false)} autoFocus>
            Cancel
          </button>
        </div>
      )}

      <SettingsForm
        key={instance.id + instance.createdDate}
        instance={instance}
        onSave={(c) => act(() => api.updateInstance(id, c), 'Saved.')}
      />

      <h2>Configuration</h2>
      <table className="config">
        <tbody>
          {Object.entries(instance.configuration)
            .sort()
            .map(([key, value]) => (
              <tr key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>{value}</td>
              </tr>
            ))}
        </tbody>
      </table>

      <InstanceEvents instanceId={instance.id} />
    </section>
  );
}

function SettingsForm({
  instance,
  onSave,
}: {
  instance: Instance;
  onSave: (c: Record<string, string>) => Promise<void>;
}) {
  const c = instance.configuration;
  const [events, setEvents] = useState(c['event.notification.enabled'] === 'true');
  const [callback, setCallback] = useState(c['event.notification.callback.url'] ?? '');
  const [signature, setSignature] = useState('');
  const [poll, setPoll] = useState(c['event.poller.refresh_interval'] ?? '');
  const [nulls, setNulls] = useState(c['filter.response.nulls'] !== 'false');
  const hasSignature = c['event.notification.signature.key'] === MASK;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, string> = {
      'event.notification.enabled': String(events),
      'event.notification.callback.url': callback,
      'event.poller.refresh_interval': poll,
      'filter.response.nulls': String(nulls),
    };
    // A blank field keeps the stored key: the API reads the mask as "unchanged".
    changes['event.notification.signature.key'] = signature || (hasSignature ? MASK : '');
    void onSave(changes);
  };

  return (
    <form className="stack settings" onSubmit={save} aria-label="Settings">
      <h2>Settings</h2>
      <label className="check">
        <input type="checkbox" checked={events} onChange={(e) => setEvents(e.target.checked)} />{' '}
        Events on
      </label>
      <label htmlFor="set-callback">Event callback URL</label>
      <input
        id="set-callback"
        type="url"
        value={callback}
        onChange={(e) => setCallback(e.target.value)}
      />
      <label htmlFor="set-signature">Signature key</label>
      <input
        id="set-signature"
        type="password"
        autoComplete="off"
        placeholder={hasSignature ? 'set; leave blank to keep it' : 'not set'}
        value={signature}
        onChange={(e) => setSignature(e.target.value)}
      />
      <label htmlFor="set-poll">Polling interval (minutes)</label>
      <input
        id="set-poll"
        inputMode="numeric"
        pattern="[0-9]*"
        value={poll}
        onChange={(e) => setPoll(e.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={nulls} onChange={(e) => setNulls(e.target.checked)} />{' '}
        Remove null values from hub responses
      </label>
      <button type="submit" className="primary">
        Save settings
      </button>
    </form>
  );
}
