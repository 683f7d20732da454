import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { createApp } from './app.tsx';
import { API_OPERATIONS, type openApiDocument } from './openapi.ts';

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  data = tempDataDir();
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  app = createApp(paperscope);
});
afterAll(() => {
  paperscope.close();
  data.cleanup();
});

/** `/api/papers/:ref{.+}` as OpenAPI writes it: `/api/papers/{ref}`. */
const asTemplate = (honoPath: string): string => honoPath.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, '{$1}');

function registeredApiRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
    .map((r) => `${r.method.toLowerCase()} ${asTemplate(r.path)}`);
  return [...new Set(routes)].sort();
}

describe('the OpenAPI description', () => {
  it('covers every /api route the app registers, and describes none that it does not', () => {
    const routes = registeredApiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const listed = API_OPERATIONS.map((op) => `${op.method} ${op.path}`);
    const documented = [...new Set(listed)].sort();
    expect(
      listed.filter((op, i) => listed.indexOf(op) !== i),
      'operations described twice (the second would silently replace the first)',
    ).toEqual([]);
    expect(
      routes.filter((r) => !documented.includes(r)),
      'routes missing from src/server/openapi.ts',
    ).toEqual([]);
    expect(
      documented.filter((d) => !routes.includes(d)),
      'described but not served',
    ).toEqual([]);
  });

  it('is served as OpenAPI 3.1 with every path parameter declared and every scope named', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as ReturnType<typeof openApiDocument> & {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string }[]; security: unknown[] }>
      >;
    };
    expect(doc['openapi']).toBe('3.1.0');
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(operations)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual([...names].sort());
      }
    }
    expect(doc.paths['/api/library/{paper}']!['put']).toMatchObject({
      'x-scope': 'library',
      security: [{ session: [] }, { bearer: ['library'] }],
    });
    expect(doc.paths['/api/search']!['get']!.security).toEqual([]);
  });

  it('is readable as a page, without inline script', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const op of API_OPERATIONS) expect(html).toContain(`${op.method.toUpperCase()} ${op.path}`);
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/static/app.js" defer="">']);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
