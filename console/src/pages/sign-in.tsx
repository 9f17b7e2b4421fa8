import { useState, type FormEvent } from 'react';
import { api, type Me } from '../api.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [user, setUser] = useState('');
  const [organization, setOrganization] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      onSignedIn(await api.signIn(user, organization));
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="narrow">
      <h1>Sign in to Junction</h1>
      <p className="hint">
        Use the user and organization secrets Junction printed on its first start (also kept in
        <code> secrets.json</code> in its data folder).
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label htmlFor="user-secret">User secret</label>
        <input
          id="user-secret"
          type="password"
          autoComplete="off"
          required
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
        <label htmlFor="organization-secret">Organization secret</label>
        <input
          id="organization-secret"
          type="password"
          autoComplete="off"
          required
          value={organization}
          onChange={(e) => setOrganization(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
