import { useEffect, useState, type FormEvent } from 'react';
import { api, type ElementSummary, type Me, type SignInStart } from '../api.js';
import { Link } from '../router.js';

interface Props {
  me: Me;
  elementKey: string;
  /** The id of an instance to re-authenticate; a new instance otherwise. */
  reauthenticate: number | undefined;
}

/**
 * Collects what `POST /instances` needs besides the provider's code, hands it to the hub (which
 * keeps it in the session) and sends the browser to the provider's sign-in.
 */
export function AuthenticatePage({ me, elementKey, reauthenticate }: Props) {
  const app = me.apps[elementKey];
  const [element, setElement] = useState<ElementSummary>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({
    name: '',
    tags: '',
    clientId: app?.clientId ?? '',
    clientSecret: '',
    eventsEnabled: false,
    callbackUrl: '',
    signatureKey: '',
    pollMinutes: '15',
  });
  const set = (field: keyof typeof form) => (value: string | boolean) =>
    setForm({ ...form, [field]: value });

  useEffect(() => {
    api.element(elementKey).then(setElement, (err: Error) => setProblem(err.message));
  }, [elementKey]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const { authorizeUrl } = await api.startSignIn(startBody(elementKey, form, reauthenticate));
      window.location.assign(authorizeUrl);
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(false);
    }
  };

  const secretHint = app?.clientSecretConfigured
    ? 'Configured on the hub; leave blank to use it.'
    : reauthenticate
      ? 'Leave blank to keep the stored secret.'
      : undefined;
  return (
    <section className="narrow">
      <p>
        <Link to="/console/elements">← Catalog</Link>
      </p>
      <h1>
        {reauthenticate
          ? `Re-authenticate instance ${reauthenticate}`
          : `Authenticate ${element?.name ?? elementKey}`}
      </h1>
      <p className="hint">
        You will sign in at the provider and come back here. The app's registered callback URL must
        be <code>{me.callbackUrl}</code>.
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Authenticate">
        {!reauthenticate && (
          <>
            <label htmlFor="name">Instance name</label>
            <input
              id="name"
              required
              value={form.name}
              onChange={(e) => set('name')(e.target.value)}
            />
            <label htmlFor="tags">Tags (comma-separated, optional)</label>
            <input id="tags" value={form.tags} onChange={(e) => set('tags')(e.target.value)} />
          </>
        )}
        <label htmlFor="client-id">App client id</label>
        <input
          id="client-id"
          required
          value={form.clientId}
          onChange={(e) => set('clientId')(e.target.value)}
        />
        <label htmlFor="client-secret">App client secret</label>
        <input
          id="client-secret"
          type="password"
          autoComplete="off"
          required={!secretHint}
          aria-describedby={secretHint ? 'client-secret-hint' : undefined}
          value={form.clientSecret}
          onChange={(e) => set('clientSecret')(e.target.value)}
        />
        {secretHint && (
          <p id="client-secret-hint" className="hint">
            {secretHint}
          </p>
        )}
        {!reauthenticate && (
          <fieldset>
            <legend>Events (optional)</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={form.eventsEnabled}
                onChange={(e) => set('eventsEnabled')(e.target.checked)}
              />
              Events on
            </label>
            <label htmlFor="event-callback">Event callback URL</label>
            <input
              id="event-callback"
              type="url"
              value={form.callbackUrl}
              onChange={(e) => set('callbackUrl')(e.target.value)}
            />
            <label htmlFor="signature-key">Signature key</label>
            <input
              id="signature-key"
              type="password"
              autoComplete="off"
              value={form.signatureKey}
              onChange={(e) => set('signatureKey')(e.target.value)}
            />
            <label htmlFor="poll-minutes">Polling interval (minutes)</label>
            <input
              id="poll-minutes"
              inputMode="numeric"
              pattern="[0-9]+"
              value={form.pollMinutes}
              onChange={(e) => set('pollMinutes')(e.target.value)}
            />
          </fieldset>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Continue to the provider's sign-in
        </button>
      </form>
    </section>
  );
}

function startBody(
  element: string,
  form: {
    name: string;
    tags: string;
    clientId: string;
    clientSecret: string;
    eventsEnabled: boolean;
    callbackUrl: string;
    signatureKey: string;
    pollMinutes: string;
  },
  reauthenticate: number | undefined,
): SignInStart {
  const body: SignInStart = { element };
  if (form.clientId) body.clientId = form.clientId;
  if (form.clientSecret) body.clientSecret = form.clientSecret;
  if (reauthenticate) {
    body.instanceId = reauthenticate;
    return body;
  }
  body.name = form.name;
  const tags = form.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length > 0) body.tags = tags;
  const configuration: Record<string, string> = {
    'event.notification.enabled': String(form.eventsEnabled),
  };
  if (form.callbackUrl) configuration['event.notification.callback.url'] = form.callbackUrl;
  if (form.signatureKey) configuration['event.notification.signature.key'] = form.signatureKey;
  if (form.pollMinutes) configuration['event.poller.refresh_interval'] = form.pollMinutes;
  body.configuration = configuration;
  return body;
}
