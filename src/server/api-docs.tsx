import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import type { AppEnv } from '../web/context.ts';
import { page } from '../web/render.tsx';
import { API_OPERATIONS, type ApiOperation, openApiDocument } from './openapi.ts';

const accessText = (access: ApiOperation['access']): string =>
  access === 'public'
    ? 'public'
    : access === 'signed-in'
      ? 'signed in (any token)'
      : `token scope: ${access}`;

const Operation: FC<{ op: ApiOperation }> = ({ op }) => (
  <li id={`${op.method}-${op.path}`}>
    <h3>
      <code>
        {op.method.toUpperCase()} {op.path}
      </code>
    </h3>
    <p>
      {op.summary}. <span class="muted">({accessText(op.access)})</span>
    </p>
    {op.description ? <p class="muted">{op.description}</p> : null}
    {op.parameters && op.parameters.length > 0 ? (
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">In</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.in}</td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    ) : null}
    {op.body ? <p>Body (JSON): {op.body.description}.</p> : null}
    <p class="muted">
      Answers:{' '}
      {Object.entries(op.responses)
        .map(([status, r]) => `${status} ${r.description}`)
        .join(' · ')}
    </p>
  </li>
);

/** `/api/openapi.json` (machine-readable) and `/api/docs` (the same, to read; no script). */
export function apiDocsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const document = openApiDocument();

  app.get('/api/openapi.json', (c) => c.json(document));

  app.get('/api/docs', (c) => {
    const sections = [...new Set(API_OPERATIONS.map((op) => op.tag))];
    return page(
      c,
      'API',
      <>
        <h1>The Paperscope API</h1>
        <p>
          JSON over HTTP under <code>/api</code>. Reading the knowledge base needs nothing; your library and
          account need an API token, sent as <code>Authorization: Bearer pst_…</code> (make one on{' '}
          <a href="/account#tokens">your account page</a>, or with <code>paperscope token create</code>).
          Errors come back as <code>{'{"error": "…"}'}</code> with a status that says what kind.
        </p>
        <p>
          Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li>
                <a href={`#${s.toLowerCase().replace(/\W+/g, '-')}`}>{s}</a>
              </li>
            ))}
          </ul>
        </nav>
        {sections.map((s) => (
          <section id={s.toLowerCase().replace(/\W+/g, '-')}>
            <h2>{s}</h2>
            <ul class="api-operations">
              {API_OPERATIONS.filter((op) => op.tag === s).map((op) => (
                <Operation op={op} />
              ))}
            </ul>
          </section>
        ))}
      </>,
    );
  });

  return app;
}
