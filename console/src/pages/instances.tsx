import { useEffect, useState, type FormEvent } from 'react';
import { api, type Instance } from '../api.js';
import { Link } from '../router.js';
import { StatusBadges } from './status.js';

export function InstancesPage() {
  const [instances, setInstances] = useState<Instance[]>();
  const [problem, setProblem] = useState<string>();
  const [name, setName] = useState('');
  const [tag, setTag] = useState('');

  const load = (filter: { name?: string; tag?: string }) => {
    setProblem(undefined);
    api.instances(filter).then(setInstances, (err: Error) => setProblem(err.message));
  };
  useEffect(() => load({}), []);

  const search = (event: FormEvent) => {
    event.preventDefault();
    load({ name: name.trim(), tag: tag.trim() });
  };

  return (
    <section>
      <h1>Instances</h1>
      <form className="search" role="search" onSubmit={search}>
        <div>
          <label htmlFor="search-name">Name</label>
          <input
            id="search-name"
            type="search"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="search-tag">Tag</label>
          <input
            id="search-tag"
            type="search"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
          />
        </div>
        <button type="submit">Search</button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {instances?.length === 0 && (
        <p>
          No instances. <Link to="/console/elements">Authenticate one from the catalog</Link>.
        </p>
      )}
      <ul className="cards" aria-label="Instances">
        {instances?.map((instance) => (
          <li key={instance.id} className="card instance-row" data-id={instance.id}>
            <h2>
              <Link to={`/console/instances/${instance.id}`}>{instance.name}</Link>
            </h2>
            <p className="meta">
              #{instance.id} · {instance.element.name} · created{' '}
              {new Date(instance.createdDate).toLocaleString()}
            </p>
            <StatusBadges instance={instance} />
            {instance.tags.length > 0 && (
              <p className="tags">
                {instance.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
