import { useEffect, useState } from 'react';
import { api, type Me } from './api.js';
import { AuthenticatePage } from './pages/authenticate.js';
import { CatalogPage } from './pages/catalog.js';
import { DocsPage } from './pages/docs.js';
import { InstancePage } from './pages/instance.js';
import { InstancesPage } from './pages/instances.js';
import { SignInPage } from './pages/sign-in.js';
import { Link, navigate, useLocation } from './router.js';

type SessionState = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; me: Me };

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });

  useEffect(() => {
    api.me().then(
      (me) => setSession({ kind: 'signed-in', me }),
      () => setSession({ kind: 'signed-out' }),
    );
  }, []);

  if (session.kind === 'loading') return <p className="loading">Loading…</p>;
  if (session.kind === 'signed-out') {
    return <SignInPage onSignedIn={(me) => setSession({ kind: 'signed-in', me })} />;
  }

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setSession({ kind: 'signed-out' });
    navigate('/console');
  };
  return (
    <>
      <header className="top">
        <Link to="/console/elements" className="brand">
          Junction
        </Link>
        <nav aria-label="Main">
          <Link to="/console/elements">Catalog</Link>
          <Link to="/console/instances">Instances</Link>
        </nav>
        <span className="who" title={session.me.organization.name}>
          {session.me.user.email}
        </span>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main>
        <Routes me={session.me} />
      </main>
    </>
  );
}

function Routes({ me }: { me: Me }) {
  const { path, query } = useLocation();
  const segments = path.split('/').slice(2);
  const [section, id, sub] = segments;

  if (section === undefined || (section === 'elements' && id === undefined)) return <CatalogPage />;
  if (section === 'elements' && id) {
    const again = Number(query.get('reauthenticate'));
    return (
      <AuthenticatePage me={me} elementKey={id} reauthenticate={again > 0 ? again : undefined} />
    );
  }
  if (section === 'instances' && id === undefined) return <InstancesPage />;
  if (section === 'instances' && id && sub === 'docs') return <DocsPage id={Number(id)} />;
  if (section === 'instances' && id) {
    return <InstancePage id={Number(id)} authenticated={query.get('authenticated') === '1'} />;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No console page at {path}. <Link to="/console/elements">Go to the catalog</Link>.
      </p>
    </section>
  );
}
