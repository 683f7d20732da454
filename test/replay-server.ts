import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { fixturePath } from './shared.ts';

/**
 * A real HTTP server on 127.0.0.1 that replays captured exchanges, so fetch code is tested
 * over real sockets without the network.
 *
 * Fixture requests are matched on method, path and query parameters, ignoring the host, the
 * parameter order and parameters with empty values (the arXiv recordings carry `id_list=` and
 * `search_query=`). POST bodies are compared as JSON.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** Arrival time in ms (epoch, sub-millisecond). */
  time: number;
  /** Whether a route or fixture answered it (otherwise it got a 404). */
  matched: boolean;
}

/** One scripted answer. */
export type Reply =
  | { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  /** Close the connection without answering. */
  | { reset: true }
  /** Announce the whole body's length, send only the first `truncateAfter` bytes, then hang up. */
  | { truncateAfter: number; body: string; status?: number; headers?: Record<string, string> };

export interface RouteSpec {
  method?: string;
  path: string;
  /** Parameters that must be present with these values; others are allowed unless `exactQuery`. */
  query?: Record<string, string>;
  exactQuery?: boolean;
  /** For POST: the JSON body that must be sent. */
  json?: unknown;
}

export interface ReplayServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /**
   * Answers requests matching `spec` with `replies` in turn; the last one repeats. Routes
   * registered later win over earlier ones and over fixtures. Returns a live hit counter.
   */
  route(spec: RouteSpec, replies: Reply | Reply[]): { hits: number };
  close(): Promise<void>;
}

export interface ReplayOptions {
  /** Load arxiv-api/*.json (default true). */
  arxivApi?: boolean;
  /** Load semantic-scholar/*.yaml VCR cassettes (default true). */
  semanticScholar?: boolean;
}

interface Route {
  spec: RouteSpec;
  replies: Reply[];
  counter: { hits: number };
}

export async function startReplayServer(options: ReplayOptions = {}): Promise<ReplayServer> {
  const routes: Route[] = [];
  const fixtures: Route[] = [];
  if (options.arxivApi !== false) fixtures.push(...arxivApiFixtures());
  if (options.semanticScholar !== false) fixtures.push(...semanticScholarFixtures());
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const time = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://replay');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        time,
        matched: false,
      };
      requests.push(recorded);
      const route =
        [...routes].reverse().find((r) => matches(r.spec, recorded)) ??
        fixtures.find((r) => matches(r.spec, recorded));
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(`replay: no route for ${recorded.method} ${req.url}`);
        return;
      }
      recorded.matched = true;
      const reply = route.replies[Math.min(route.counter.hits, route.replies.length - 1)] as Reply;
      route.counter.hits++;
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    route(spec, replies) {
      const counter = { hits: 0 };
      routes.push({ spec, replies: Array.isArray(replies) ? replies : [replies], counter });
      return counter;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function answer(res: ServerResponse, reply: Reply): void {
  if ('reset' in reply) {
    res.socket?.destroy();
    return;
  }
  if ('truncateAfter' in reply) {
    const bytes = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, reply.truncateAfter), () => res.socket?.destroy());
    return;
  }
  const send = () => {
    res.writeHead(reply.status ?? 200, { 'content-type': guessType(reply.body ?? ''), ...reply.headers });
    res.end(reply.body ?? '');
  };
  if (reply.delayMs) setTimeout(send, reply.delayMs);
  else send();
}

function matches(spec: RouteSpec, req: RecordedRequest): boolean {
  if ((spec.method ?? 'GET').toUpperCase() !== req.method) return false;
  if (spec.path !== req.path) return false;
  const want = spec.query ?? {};
  for (const [key, value] of Object.entries(want)) if (req.query[key] !== value) return false;
  if (spec.exactQuery) {
    const sent = Object.entries(req.query).filter(([, v]) => v !== '');
    if (sent.length !== Object.values(want).filter((v) => v !== '').length) return false;
  }
  if (spec.json !== undefined) {
    try {
      if (canonical(JSON.parse(req.body)) !== canonical(spec.json)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A recorded URL as a route: host dropped, empty parameters dropped, the rest must match exactly. */
export function specFromUrl(method: string, recordedUrl: string, json?: unknown): RouteSpec {
  const url = new URL(recordedUrl);
  const query = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
  return json === undefined
    ? { method, path: url.pathname, query, exactQuery: true }
    : { method, path: url.pathname, query, exactQuery: true, json };
}

function arxivApiFixtures(): Route[] {
  const dir = fixturePath('arxiv-api');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const { url, status_code, body } = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as {
        url: string;
        status_code: number;
        body: string;
      };
      const reply: Reply = { status: status_code, body, headers: { 'content-type': 'application/atom+xml' } };
      return { spec: specFromUrl('GET', url), replies: [reply], counter: { hits: 0 } };
    });
}

interface Interaction {
  request: { method: string; uri: string; body?: string | null };
  response: {
    status?: { code: number };
    body?: { string: string };
    status_code?: number;
    content?: string;
    headers?: Record<string, string | string[]>;
  };
}

/**
 * Two cassette dialects live side by side: vcrpy (`response.status.code`, `response.body.string`)
 * and an httpx recorder (`response.status_code`, `response.content`). Only the content type is
 * replayed: the recorded Content-Length and Content-Encoding describe a gzip body we do not have.
 */
function semanticScholarFixtures(): Route[] {
  const dir = fixturePath('semantic-scholar');
  const routes: Route[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const cassette = parseYaml(readFileSync(`${dir}/${name}`, 'utf8')) as { interactions: Interaction[] };
    for (const { request, response } of cassette.interactions) {
      const status = response.status?.code ?? response.status_code ?? 200;
      const body = response.body?.string ?? response.content ?? '';
      const json = request.body ? (JSON.parse(request.body) as unknown) : undefined;
      const spec = specFromUrl(request.method, request.uri, json);
      const existing = routes.find((r) => canonical(r.spec) === canonical(spec));
      const reply: Reply = { status, body, headers: { 'content-type': 'application/json' } };
      if (existing) existing.replies.push(reply);
      else routes.push({ spec, replies: [reply], counter: { hits: 0 } });
    }
  }
  return routes;
}

export interface OaiPage {
  file: string;
  body: string;
  /** The query this page answers, read from its `<request>` element. */
  query: Record<string, string>;
  /** The resumptionToken it hands on, undefined on the last page. */
  nextToken: string | undefined;
  records: number;
}

/** The three real ListRecords pages, chained by the tokens they carry. */
export function oaiHarvestPages(): OaiPage[] {
  return [0, 1, 2].map((i) => {
    const file = `ListRecords_data_${i}.xml`;
    const body = readFileSync(fixturePath('arxiv-oai', file), 'utf8');
    const request = /<request\b([^>]*)>/.exec(body)?.[1] ?? '';
    const query = Object.fromEntries(
      [...request.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] as string, unescapeXml(m[2] as string)]),
    );
    const token = /<resumptionToken\b[^>]*>([^<]*)<\/resumptionToken>/.exec(body)?.[1]?.trim();
    return { file, body, query, nextToken: token || undefined, records: body.split('<record>').length - 1 };
  });
}

/** Serves the real three-page harvest at `/oai2`; `before` replies come first on the first page. */
export function routeOaiHarvest(server: ReplayServer, before: Reply[] = []): OaiPage[] {
  const pages = oaiHarvestPages();
  for (const [i, page] of pages.entries()) {
    const reply: Reply = { body: page.body, headers: { 'content-type': 'text/xml' } };
    server.route(
      { path: '/oai2', query: page.query, exactQuery: true },
      i === 0 ? [...before, reply] : reply,
    );
  }
  return pages;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function guessType(body: string): string {
  const start = body.trimStart();
  if (start.startsWith('<?xml') || start.startsWith('<feed') || start.startsWith('<OAI')) return 'text/xml';
  if (start.startsWith('<')) return 'text/html';
  if (start.startsWith('{') || start.startsWith('[')) return 'application/json';
  return 'text/plain';
}
