import { useEffect, useState } from 'react';
import { api, type ElementSummary } from '../api.js';
import { Link } from '../router.js';

export function CatalogPage() {
  const [elements, setElements] = useState<ElementSummary[]>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    api.elements().then(setElements, (err: Error) => setProblem(err.message));
  }, []);

  return (
    <section>
      <h1>Catalog</h1>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!elements && !problem && <p>Loading…</p>}
      <ul className="cards" aria-label="Elements">
        {elements?.map((element) => (
          <li key={element.key} className="card element-card" data-key={element.key}>
            <img src={element.image} alt="" width={48} height={48} />
            <div>
              <h2>{element.name}</h2>
              <p className="meta">
                <span className="badge">hub: {element.hub}</span>
                <span className="badge">{element.authentication.type}</span>
                <code>{element.key}</code>
              </p>
              <p>{element.description}</p>
              <Link to={`/console/elements/${element.key}`} className="button">
                Authenticate an instance
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
