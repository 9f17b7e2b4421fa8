import { useEffect, useState, type FormEvent } from 'react';
import { api, type Instance, type RawResponse } from '../api.js';
import { Link } from '../router.js';

interface Operation {
  method: string;
  path: string;
  summary: string;
}

type Docs =
  | { kind: 'loading' }
  | { kind: 'openapi'; title: string; operations: Operation[] }
  | { kind: 'missing'; status: number };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * An instance's API: its generated OpenAPI document (`GET /instances/{id}/docs`) when the hub
 * has one, else the element's operations; either way a form that sends a request with the
 * instance's token.
 */
export function DocsPage({ id }: { id: number }) {
  const [instance, setInstance] = useState<Instance>();
  const [docs, setDocs] = useState<Docs>({ kind: 'loading' });
  const [problem, setProblem] = useState<string>();
  const [draft, setDraft] = useState<Operation>();

  useEffect(() => {
    api.instance(id).then(setInstance, (err: Error) => setProblem(err.message));
    api.raw('GET', `/instances/${id}/docs`).then(
      (response) => setDocs(readDocs(response)),
      () => setDocs({ kind: 'missing', status: 0 }),
    );
  }, [id]);

  if (!instance)
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
  const operations =
    docs.kind === 'openapi'
      ? docs.operations
      : instance.element.resources.map((r) => ({
          method: r.method,
          path: r.path,
          summary: r.description ?? '',
        }));
  return (
    <section>
      <p>
        <Link to={`/console/instances/${id}`}>← {instance.name}</Link>
      </p>
      <h1>API of {instance.name}</h1>
      {docs.kind === 'openapi' && (
        <p className="hint">From the generated document “{docs.title}”.</p>
      )}
      {docs.kind === 'missing' && (
        <p className="hint" id="docs-missing">
          Generated documentation is not available from this hub yet (GET /instances/{id}/docs
          answered {docs.status || 'nothing'}); these are the element's operations.
        </p>
      )}
      <TryForm token={instance.token} draft={draft} />
      <h2>Operations</h2>
      <ul className="operations">
        {operations.map((op) => (
          <li key={`${op.method} ${op.path}`}>
            <span className={`method m-${op.method.toLowerCase()}`}>{op.method}</span>{' '}
            <code>{op.path}</code>
            {op.summary && <span className="summary"> — {op.summary}</span>}{' '}
            <button type="button" className="link-button" onClick={() => setDraft({ ...op })}>
              Try
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function readDocs(response: RawResponse): Docs {
  if (response.status !== 200) return { kind: 'missing', status: response.status };
  try {
    const document = JSON.parse(response.body) as {
      info?: { title?: string };
      paths?: Record<string, Record<string, { summary?: string }>>;
    };
    if (!document.paths) return { kind: 'missing', status: response.status };
    const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod)
        .filter(([method]) => METHODS.includes(method.toUpperCase()))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, summary: op.summary ?? '' })),
    );
    return { kind: 'openapi', title: document.info?.title ?? 'API', operations };
  } catch {
    return { kind: 'missing', status: response.status };
  }
}

function TryForm({ token, draft }: { token: string; draft: Operation | undefined }) {
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('');
  const [query, setQuery] = useState('');
  const [body, setBody] = useState('');
  const [response, setResponse] = useState<RawResponse>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!draft) return;
    setMethod(draft.method);
    setPath(draft.path);
  }, [draft]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const search = query.trim().replace(/^\?/, '');
    const target = (path.startsWith('/') ? path : `/${path}`) + (search ? `?${search}` : '');
    const payload = method === 'GET' || method === 'DELETE' ? undefined : body || undefined;
    try {
      setResponse(await api.raw(method, target, token, payload));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="try" onSubmit={(e) => void send(e)} aria-label="Try a request">
      <h2>Try a request</h2>
      <p className="hint">
        Sent through the hub with this instance's token (
        <code>Authorization: User …, Element …</code>).
      </p>
      <div className="row">
        <div>
          <label htmlFor="try-method">Method</label>
          <select id="try-method" value={method} onChange={(e) => setMethod(e.target.value)}>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        <div className="grow">
          <label htmlFor="try-path">Hub path</label>
          <input
            id="try-path"
            required
            placeholder="/hubs/ecommerce/orders"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
        </div>
      </div>
      <label htmlFor="try-query">Query</label>
      <input
        id="try-query"
        placeholder="pageSize=5&where=…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {method !== 'GET' && method !== 'DELETE' && (
        <>
          <label htmlFor="try-body">Body (JSON)</label>
          <textarea id="try-body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
        </>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Send
      </button>
      {response && <ResponseView response={response} />}
    </form>
  );
}

function ResponseView({ response }: { response: RawResponse }) {
  let pretty = response.body;
  try {
    pretty = JSON.stringify(JSON.parse(response.body), null, 2);
  } catch {
    // Not JSON: shown as it came.
  }
  return (
    <div className="response" aria-live="polite">
      <h3>
        Status{' '}
        <span id="try-status" className={response.status < 400 ? 'ok' : 'bad'}>
          {response.status}
        </span>
      </h3>
      <details>
        <summary>Headers ({response.headers.length})</summary>
        <pre>{response.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
      </details>
      <pre id="try-body-out" className="body">
        {pretty}
      </pre>
    </div>
  );
}
