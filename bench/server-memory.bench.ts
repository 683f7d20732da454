import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { INDEX_FILE } from '../src/discovery/similar/service.ts';
import { SNAPSHOT_FILE } from '../src/search/index/store-search.ts';
import { DATABASE_FILE } from '../src/store/sqlite/sqlite-store.ts';
import { addFilter, facetFilters } from '../src/web/query-links.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, gitRevision, machineLine } from './machine.ts';
import { percentile, pick, prng, round, samplePages } from './page-sample.ts';

/**
 * The memory of the whole server, measured on `paperscope serve` itself: the real command in a
 * child process (`bin/paperscope.mjs serve --data DIR` on 127.0.0.1), with every page worker and
 * background thread it starts (they are threads of that process, so its RSS counts them). Its
 * `/proc/PID/status` (VmRSS, VmHWM) is read every 250 ms for the whole run. Once it answers and
 * its search index has warmed up, a fixed, seeded mix of requests is sent in phases over 1–4
 * keep-alive connections: home listings, searches (rare and common words, a phrase, author +
 * year, `a -b`, and a facet filter added), author pages, paper pages of random papers with
 * their similar papers (the first one loads the saved similarity index; the phase waits until
 * the pages show them), paper pages by arXiv id, recommendations for signed-in users with a
 * few saved papers (accounts registered and papers saved through the site, as a person does;
 * the home page's "For you" and `/api/recommend`), then all of them mixed.
 *
 *   npm run bench:server-memory -- --data /tmp/h5-bench/data-copy
 *     [--connections 2] [--mixed-connections 4] [--requests 300] [--mixed-requests 600]
 *     [--seed 1] [--users 3] [--likes 5] [--no-doc]
 *
 * The data folder is served as it is, so it is written as a served one is: the accounts made
 * here (bench-…@example.org) and the papers they saved, page views, author summaries done by
 * the background job. Serve a copy of a folder others read.
 *
 * Where the memory goes, without a hook in the server: `/proc/PID/smaps` split by mapping (the
 * files read into memory, code, anonymous memory) at each checkpoint, and each thread's V8
 * figures (heap, array buffers) written by `server-memory-probe.cjs`, loaded with
 * `node --require` (which, unlike `--import`, runs in worker threads too).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Issue 3: serving memory ≤ 2.5 GB at 2.9M papers (2.5 × 10⁹ bytes). */
const TARGET_BYTES = 2.5e9;
const MiB = 2 ** 20;
const mib = (bytes: number) => Math.round(bytes / MiB);
const fmt = (n: number) => n.toLocaleString('en');

interface Options {
  data: string;
  connections: number;
  mixedConnections: number;
  requests: number;
  mixedRequests: number;
  seed: number;
  users: number;
  likes: number;
  sample: number;
  warmUpTimeout: number;
  similarTimeout: number;
  noDoc: boolean;
  /** An experiment: every SQLite connection of the server with this page cache (MiB). */
  sqliteCacheMib: number | undefined;
  sqliteTempStore: 'FILE' | 'MEMORY' | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      connections: { type: 'string', default: '2' },
      'mixed-connections': { type: 'string', default: '4' },
      requests: { type: 'string', default: '300' },
      'mixed-requests': { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      users: { type: 'string', default: '3' },
      likes: { type: 'string', default: '5' },
      sample: { type: 'string', default: '300' },
      // Seconds to wait for the search index (built in the background when the folder has none).
      'warm-up-timeout': { type: 'string', default: '3600' },
      // Seconds to wait for paper pages to show similar papers once the first one asked.
      'similar-timeout': { type: 'string', default: '900' },
      'no-doc': { type: 'boolean', default: false },
      // An experiment (with --no-doc): each SQLite connection's page cache set to this, in MiB,
      // by the probe, instead of the store's 64 MiB; to see how much of the native memory it is.
      'sqlite-cache-mib': { type: 'string' },
      // Likewise each connection's temp_store (FILE or MEMORY) instead of the store's own.
      'sqlite-temp-store': { type: 'string' },
    },
  });
  if (!values.data) throw new Error('--data DIR: the data folder to serve (a copy of one others read)');
  const int = (name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} wants a whole number ≥ ${min}`);
    return n;
  };
  return {
    data: resolve(values.data),
    connections: int('connections', values.connections, 1, 4),
    mixedConnections: int('mixed-connections', values['mixed-connections'], 1, 4),
    requests: int('requests', values.requests, 1),
    mixedRequests: int('mixed-requests', values['mixed-requests'], 1),
    seed: int('seed', values.seed, 1),
    users: int('users', values.users, 1, 20),
    likes: int('likes', values.likes, 1, 25),
    sample: int('sample', values.sample, 10),
    warmUpTimeout: int('warm-up-timeout', values['warm-up-timeout'], 1),
    similarTimeout: int('similar-timeout', values['similar-timeout'], 1),
    noDoc: values['no-doc'],
    sqliteCacheMib:
      values['sqlite-cache-mib'] === undefined
        ? undefined
        : int('sqlite-cache-mib', values['sqlite-cache-mib'], 1),
    sqliteTempStore: tempStore(values['sqlite-temp-store']),
  };
}

function tempStore(value: string | undefined): 'FILE' | 'MEMORY' | undefined {
  if (value === undefined) return undefined;
  const v = value.toUpperCase();
  if (v !== 'FILE' && v !== 'MEMORY')
    throw new Error(`--sqlite-temp-store wants FILE or MEMORY (got ${value})`);
  return v;
}

// ---------------------------------------------------------------- the server's memory, from /proc

interface StatusSample {
  at: number;
  rss: number;
  hwm: number;
  threads: number;
}

function readStatus(pid: number): StatusSample | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return {
      at: Date.now(),
      rss: kb('VmRSS'),
      hwm: kb('VmHWM'),
      threads: Number(/^Threads:\s+(\d+)/m.exec(text)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** CPU time of the whole server process so far (every thread), in ms; clock ticks are 10 ms. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Resident bytes by what is mapped: the data files read by mmap, code, the rest anonymous. */
type MappingGroup =
  | 'anonymous'
  | 'malloc heap'
  | 'code and libraries'
  | 'SQLite file'
  | 'other files'
  | 'stacks';

function residentByMapping(pid: number, dataDir: string): Record<MappingGroup, number> {
  const groups: Record<MappingGroup, number> = {
    anonymous: 0,
    'malloc heap': 0,
    'code and libraries': 0,
    'SQLite file': 0,
    'other files': 0,
    stacks: 0,
  };
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return groups;
  }
  let group: MappingGroup = 'anonymous';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[1]!.trim();
      group =
        path === ''
          ? 'anonymous'
          : path === '[heap]'
            ? 'malloc heap'
            : path.startsWith('[stack')
              ? 'stacks'
              : path.startsWith('[')
                ? 'anonymous'
                : path.startsWith(dataDir) && path.includes(DATABASE_FILE)
                  ? 'SQLite file'
                  : /\.(so(\.\d+)*|node)$|\/node$/.test(path)
                    ? 'code and libraries'
                    : 'other files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) groups[group] += Number(rss[1]) * 1024;
  }
  return groups;
}

/** Open connections to the store: one descriptor on the database file each (the WAL has its own). */
function sqliteConnections(pid: number, dataDir: string): number {
  const file = join(dataDir, DATABASE_FILE);
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) n++;
      } catch {}
    }
  } catch {}
  return n;
}

interface ThreadMemory {
  thread: string;
  /** The keys of the thread's workerData, which tell the server's workers apart. */
  input?: string;
  /** Connections whose page cache the probe changed (the --sqlite-cache-mib experiment). */
  cacheChanged?: number;
  at: number;
  heapTotal: number;
  heapUsed: number;
  heapPhysical: number;
  external: number;
  arrayBuffers: number;
}

/** A thread by its role: the workers are told apart by their input (see each one's `workerData`). */
function threadName(t: ThreadMemory): string {
  if (t.thread === 'main') return 'main thread';
  const input = t.input ?? '';
  const role =
    input === 'file'
      ? 'page worker'
      : input.includes('pollMs')
        ? 'author summaries'
        : input === 'storeFile'
          ? 'search index build'
          : input === 'undefined' || input === 'object' || input === ''
            ? // No workerData: not one of the server's own workers (tsx's module loader hooks run in one).
              'loader/library thread'
            : `worker (${input})`;
  return `${role}, ${t.thread}`;
}

/** What each live thread of the server last wrote (server-memory-probe.cjs, every 500 ms). */
function threadMemory(probeDir: string, pid: number): ThreadMemory[] {
  const threads: ThreadMemory[] = [];
  for (const name of readdirSync(probeDir)) {
    if (!name.startsWith(`${pid}-`)) continue;
    try {
      threads.push(JSON.parse(readFileSync(join(probeDir, name), 'utf8')) as ThreadMemory);
    } catch {
      // Being written, or the thread just ended.
    }
  }
  return threads.sort((a, b) =>
    a.thread === 'main' ? -1 : b.thread === 'main' ? 1 : a.thread.localeCompare(b.thread),
  );
}

interface Checkpoint {
  label: string;
  seconds: number;
  rss: number;
  hwm: number;
  threads: number;
  connections: number;
  mappings: Record<MappingGroup, number>;
  isolates: ThreadMemory[];
}

// ---------------------------------------------------------------- HTTP, as a browser would send it

interface Answer {
  status: number;
  body: string;
  ms: number;
  cookies: string[];
  location?: string;
}

function send(
  agent: http.Agent,
  base: URL,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: init.method ?? 'GET',
        headers: {
          ...(init.body ? { 'content-length': Buffer.byteLength(init.body) } : {}),
          ...init.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
            cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!),
            ...(res.headers.location ? { location: res.headers.location } : {}),
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** One request of a phase: what it is (for the per-kind figures) and what it asks. */
interface Planned {
  kind: string;
  path: string;
  headers?: Record<string, string>;
}

interface PhaseResult {
  phase: string;
  connections: number;
  requests: number;
  failed: number;
  p50: number;
  p95: number;
  max: number;
  /** Server CPU (all threads) per request, ms. */
  cpuMs: number;
  seconds: number;
  byKind: Map<string, number[]>;
  /** Paper pages that listed similar papers / paper pages; signed-in home pages with "For you" filled. */
  similarShown: [number, number];
  forYouShown: [number, number];
  rssEnd: number;
}

/** `planned` in order over `connections` keep-alive connections, each taking the next when it is free. */
async function runPhase(
  phase: string,
  planned: readonly Planned[],
  connections: number,
  base: URL,
  pid: number,
): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  const similarShown: [number, number] = [0, 0];
  const forYouShown: [number, number] = [0, 0];
  let failed = 0;
  let next = 0;
  const cpuBefore = processCpuMs(pid);
  const started = performance.now();
  const loop = async () => {
    while (next < planned.length) {
      const p = planned[next++]!;
      let answer: Answer;
      try {
        answer = await send(agent, base, p.path, p.headers ? { headers: p.headers } : {});
      } catch {
        failed++;
        continue;
      }
      if (answer.status !== 200) {
        failed++;
        if (failed <= 3) console.log(`  ${answer.status} for ${p.path}: ${answer.body.slice(0, 200)}`);
      }
      all.push(answer.ms);
      const list = byKind.get(p.kind) ?? [];
      list.push(answer.ms);
      byKind.set(p.kind, list);
      if (p.path.startsWith('/paper/')) {
        similarShown[1]++;
        if (showsSimilar(answer.body)) similarShown[0]++;
      }
      if (p.kind === 'home, signed in') {
        forYouShown[1]++;
        if (showsForYou(answer.body)) forYouShown[0]++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  all.sort((a, b) => a - b);
  for (const list of byKind.values()) list.sort((a, b) => a - b);
  return {
    phase,
    connections,
    requests: all.length,
    failed,
    p50: round(percentile(all, 50)),
    p95: round(percentile(all, 95)),
    max: round(all[all.length - 1] ?? Number.NaN),
    cpuMs: Math.round(((processCpuMs(pid) - cpuBefore) / Math.max(1, all.length)) * 10) / 10,
    seconds,
    byKind,
    similarShown,
    forYouShown,
    rssEnd: readStatus(pid)?.rss ?? Number.NaN,
  };
}

/** The paper page's similar-papers section holds a list (not "not worked out yet"). */
function showsSimilar(html: string): boolean {
  const at = html.indexOf('id="similar"');
  if (at < 0) return false;
  const end = html.indexOf('</section>', at);
  const list = html.indexOf('<ol class="papers">', at);
  return list > at && (end < 0 || list < end);
}

function showsForYou(html: string): boolean {
  const at = html.indexOf('id="for-you"');
  if (at < 0) return false;
  const end = html.indexOf('</section>', at);
  const list = html.indexOf('<ol class="papers">', at);
  return list > at && (end < 0 || list < end);
}

// ---------------------------------------------------------------- accounts, made through the site

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];

/**
 * Register a person through the form (as a browser: visitor cookie and form token first), then
 * save `likes` papers through the JSON API with the session; returns the session cookie.
 */
async function signedInUser(base: URL, email: string, likes: readonly string[]): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  const form = await send(agent, base, '/register');
  const visitor = form.cookies.join('; ');
  const csrf = csrfIn(form.body);
  if (form.status !== 200 || !csrf)
    throw new Error(`GET /register answered ${form.status} without a form token`);
  const registered = await send(agent, base, '/register', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor },
    body: new URLSearchParams({
      email,
      name: 'Memory Benchmark',
      password: `memory-bench-${email}-long-enough`,
      csrf,
      next: '/',
    }).toString(),
  });
  const session = registered.cookies.find((c) => c.startsWith('ps_session='));
  if (registered.status !== 303 || !session) {
    throw new Error(
      `registering ${email} answered ${registered.status} (is registration closed on this instance?): ${registered.body.slice(0, 300)}`,
    );
  }
  const account = await send(agent, base, '/account', { headers: { cookie: session } });
  const token = csrfIn(account.body);
  if (!token) throw new Error('the account page carried no form token');
  for (const paper of likes) {
    const saved = await send(agent, base, '/api/library', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session, 'x-csrf-token': token },
      body: JSON.stringify({ paper }),
    });
    if (saved.status !== 201 && saved.status !== 200)
      throw new Error(`saving ${paper} answered ${saved.status}: ${saved.body.slice(0, 200)}`);
  }
  agent.destroy();
  return session;
}

// ---------------------------------------------------------------- the server

interface Server {
  child: ChildProcess;
  pid: number;
  url: URL;
  /** Resolves with the warm-up line (or why there is none) once the search index is ready. */
  searchReady: Promise<string>;
  exited: Promise<number | null>;
}

function startServe(
  dataDir: string,
  probeDir: string,
  startTimeoutMs: number,
  sqliteCacheMib?: number,
  sqliteTempStore?: 'FILE' | 'MEMORY',
): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      join(repoRoot, 'bench', 'server-memory-probe.cjs'),
      join(repoRoot, 'bin', 'paperscope.mjs'),
      'serve',
      '--data',
      dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    {
      cwd: repoRoot,
      // No fetching from the network while it is measured (the server's default, in case the shell says otherwise).
      env: {
        ...process.env,
        PAPERSCOPE_SYNC: 'off',
        // As `npm start` runs it (package.json): glibc gives freed memory back to the system
        // (large blocks mapped on their own, the heap's top trimmed past 128 KiB) instead of
        // keeping it in its arenas. At 1M that was 260 MiB of the server's peak.
        MALLOC_MMAP_THRESHOLD_: '131072',
        MALLOC_TRIM_THRESHOLD_: '131072',
        PAPERSCOPE_MEMORY_PROBE: probeDir,
        ...(sqliteCacheMib ? { PAPERSCOPE_PROBE_SQLITE_CACHE_KIB: String(sqliteCacheMib * 1024) } : {}),
        ...(sqliteTempStore ? { PAPERSCOPE_PROBE_SQLITE_TEMP_STORE: sqliteTempStore } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let searchDone: (line: string) => void = () => {};
  const searchReady = new Promise<string>((done) => {
    searchDone = done;
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    console.log(`  server: ${line}`);
    if (/search warmed up|search warm-up:|search index: .*fail/i.test(line)) searchDone(line);
  });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the server did not start in time')), startTimeoutMs);
    void exited.then((code) => fail(new Error(`the server exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(`  server: ${line}`);
      const url = / at (http:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        done({ child, pid: child.pid!, url: new URL(url), searchReady, exited });
      }
    });
  });
}

// ---------------------------------------------------------------- the run

/**
 * The addresses each phase asks for, drawn from the store with the seeded generator (so every
 * run on one store asks the same): the page benchmark's sample, facet filters added to its
 * queries, random papers, and the papers each account saves.
 */
function drawAddresses(o: Options) {
  const random = prng(o.seed);
  const db = new Database(join(o.data, DATABASE_FILE), { readonly: true, fileMustExist: true });
  const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const kinds = samplePages(db, random, o.sample);
  const paths = (kind: string) => kinds.find((k) => k.kind === kind)!.paths;
  const categories = db
    .prepare('SELECT DISTINCT category FROM paper_categories WHERE paper_id % 101 = 0 LIMIT 200')
    .pluck()
    .all() as string[];
  // A facet clicked: one of the mix's queries narrowed by a category or a year, as the facet links do.
  const mixQueries = paths('search').map((p) => new URLSearchParams(p.slice('/search?'.length)).get('q')!);
  const facetPaths = pick(mixQueries, Math.ceil(o.sample / 5), random).map((q, i) => {
    const filter =
      i % 2 === 0 && categories.length > 0
        ? facetFilters.category(categories[Math.floor(random() * categories.length)]!)
        : facetFilters.year(2015 + Math.floor(random() * 8));
    return `/search?q=${encodeURIComponent(addFilter(q, filter))}`;
  });
  const randomPaperIds = pick(
    db.prepare('SELECT id FROM papers WHERE id % 83 = 0 LIMIT 20000').pluck().all() as number[],
    o.sample,
    random,
  );
  const likedRefs = Array.from({ length: o.users }, () =>
    pick(
      db
        .prepare("SELECT value FROM paper_keys WHERE kind = 'arxiv' AND paper_id % 79 = 0 LIMIT 5000")
        .pluck()
        .all() as string[],
      o.likes,
      random,
    ),
  );
  db.close();
  return { random, papers, paths, facetPaths, randomPaperIds, likedRefs };
}

async function main(): Promise<void> {
  const o = options();
  const machine = describeMachine();
  console.log(`machine: ${machineLine(machine)}`);
  if (!existsSync(join(o.data, DATABASE_FILE))) throw new Error(`no ${DATABASE_FILE} in ${o.data}`);
  const searchFile = join(o.data, SNAPSHOT_FILE);
  const similarFile = join(o.data, 'similar', INDEX_FILE);
  const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : undefined);
  const searchFileBytes = sizeOf(searchFile);
  const similarFileBytes = sizeOf(similarFile);
  console.log(
    `search index file: ${searchFileBytes === undefined ? 'none (the server builds it in the background)' : `${fmt(mib(searchFileBytes))} MiB`}; ` +
      `similarity index file: ${similarFileBytes === undefined ? 'none' : `${fmt(mib(similarFileBytes))} MiB (loaded by the first paper page)`}`,
  );

  const probeDir = mkdtempSync(join(tmpdir(), 'server-memory-probe-'));
  const t0 = Date.now();
  if ((o.sqliteCacheMib !== undefined || o.sqliteTempStore !== undefined) && !o.noDoc)
    throw new Error('--sqlite-cache-mib and --sqlite-temp-store are experiments: run them with --no-doc');
  const server = await startServe(o.data, probeDir, 30 * 60_000, o.sqliteCacheMib, o.sqliteTempStore);
  console.log(`server pid ${server.pid}`);
  // Should this process be stopped, the server goes with it.
  process.once('exit', () => server.child.kill('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const samples: StatusSample[] = [];
  const sampler = setInterval(() => {
    const s = readStatus(server.pid);
    if (s) samples.push(s);
  }, 250);
  const stopServer = async () => {
    clearInterval(sampler);
    server.child.kill('SIGTERM');
    const code = await Promise.race([
      server.exited,
      new Promise((r) => setTimeout(() => r('timeout'), 60_000).unref()),
    ]);
    if (code === 'timeout') server.child.kill('SIGKILL');
    rmSync(probeDir, { recursive: true, force: true });
  };
  // The addresses, drawn once the server has opened (and so migrated) the store, from a
  // read-only connection of this process.
  let drawn: ReturnType<typeof drawAddresses>;
  const drawing = Date.now();
  try {
    drawn = drawAddresses(o);
    // Part of the wait for "ready" below at scale: the server reads its search index meanwhile.
    console.log(`addresses drawn from the store in ${((Date.now() - drawing) / 1000).toFixed(1)} s`);
  } catch (err) {
    await stopServer();
    throw err;
  }
  const { random, papers, paths, facetPaths, randomPaperIds, likedRefs } = drawn;
  console.log(`${fmt(papers)} papers in ${o.data}`);

  const checkpoints: Checkpoint[] = [];
  const checkpoint = async (label: string) => {
    // The probe writes every 500 ms: wait for a write made after this moment.
    await new Promise((r) => setTimeout(r, 600));
    const s = readStatus(server.pid);
    const c: Checkpoint = {
      label,
      seconds: (Date.now() - t0) / 1000,
      rss: s?.rss ?? Number.NaN,
      hwm: s?.hwm ?? Number.NaN,
      threads: s?.threads ?? 0,
      connections: sqliteConnections(server.pid, o.data),
      mappings: residentByMapping(server.pid, o.data),
      isolates: threadMemory(probeDir, server.pid),
    };
    checkpoints.push(c);
    console.log(
      `[${c.seconds.toFixed(0)} s] ${label}: RSS ${fmt(mib(c.rss))} MiB, peak ${fmt(mib(c.hwm))} MiB, ${c.threads} threads, ${c.connections} SQLite connections`,
    );
  };

  const results: PhaseResult[] = [];
  let warmUpLine = '';
  let similarNote = '';
  let recommendNote = '';
  const loadBefore = loadavg()[0]!;
  try {
    // Ready: the home page answers.
    for (;;) {
      const home = await send(new http.Agent(), server.url, '/').catch(() => undefined);
      if (home?.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await checkpoint('ready (home page answers)');
    warmUpLine = await Promise.race([
      server.searchReady,
      new Promise<string>((r) =>
        setTimeout(() => r('(no warm-up line within the time allowed)'), o.warmUpTimeout * 1000).unref(),
      ),
    ]);
    await checkpoint('search index read and warmed up');

    const phase = async (name: string, planned: Planned[], connections = o.connections) => {
      const r = await runPhase(name, planned, connections, server.url, server.pid);
      results.push(r);
      console.log(
        `${name}: ${r.requests} requests ×${connections} in ${r.seconds.toFixed(1)} s, p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, server CPU ${r.cpuMs} ms/request` +
          (r.failed ? `, ${r.failed} failed` : '') +
          (r.similarShown[1]
            ? `, similar papers on ${r.similarShown[0]}/${r.similarShown[1]} paper pages`
            : '') +
          (r.forYouShown[1]
            ? `, "For you" filled on ${r.forYouShown[0]}/${r.forYouShown[1]} home pages`
            : ''),
      );
      await checkpoint(`after ${name}`);
      return r;
    };
    const cycle = (kind: string, list: readonly string[], n = o.requests): Planned[] =>
      Array.from({ length: n }, (_, i) => ({ kind, path: list[i % list.length]! }));
    const interleave = (lists: Planned[][], n: number): Planned[] =>
      Array.from({ length: n }, (_, i) => {
        const list = lists[i % lists.length]!;
        return list[Math.floor(i / lists.length) % list.length]!;
      });

    const home = cycle('home', paths('home'));
    await phase('home', home);
    const search = interleave(
      [cycle('search', paths('search')), cycle('search, facet', facetPaths)],
      o.requests,
    );
    await phase('search', search);
    const author = cycle('author', paths('author'));
    await phase('author', author);

    // Similar papers: the first paper page asks for the saved index (loaded once); pages are sent
    // without similar papers until it answers within their 250 ms, so wait for that first.
    const similarPaths = randomPaperIds.map((id) => `/paper/${id}`);
    const loading = Date.now();
    let shown = false;
    if (similarFileBytes !== undefined || papers <= 20_000) {
      const agent = new http.Agent({ keepAlive: true });
      for (let i = 0; Date.now() - loading < o.similarTimeout * 1000; i++) {
        const page = await send(agent, server.url, similarPaths[i % similarPaths.length]!);
        if (showsSimilar(page.body)) {
          shown = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      agent.destroy();
    }
    const loadSeconds = (Date.now() - loading) / 1000;
    similarNote =
      similarFileBytes === undefined
        ? papers <= 20_000
          ? `no similarity index was saved: the first paper page built it (${loadSeconds.toFixed(0)} s)`
          : 'no similarity index was saved (`paperscope similar --rebuild` makes it): paper pages answered without similar papers and recommendations were not worked out, so this run does not hold them'
        : shown
          ? `the saved similarity index (${fmt(mib(similarFileBytes))} MiB file) was loaded by the first paper page, nothing built; pages showed similar papers ${loadSeconds.toFixed(0)} s after the first asked`
          : `the saved similarity index (${fmt(mib(similarFileBytes))} MiB file) did not answer within ${o.similarTimeout} s`;
    console.log(`similar papers: ${similarNote}`);
    await checkpoint(shown ? 'similarity index loaded' : 'no similarity index');
    const similar = cycle('similar (paper page)', similarPaths);
    await phase('similar', similar);
    const paper = cycle('paper', paths('paper'));
    await phase('paper', paper);

    // Recommendations for people signed in with a few saved papers: registered through the form.
    const sessions: string[] = [];
    const stamp = Date.now().toString(36);
    for (let u = 0; u < o.users; u++) {
      sessions.push(await signedInUser(server.url, `bench-${stamp}-${u}@example.org`, likedRefs[u]!));
    }
    recommendNote = `${o.users} account${o.users === 1 ? '' : 's'} registered through the form, each with ${o.likes} papers saved through \`POST /api/library\``;
    console.log(`recommendations: ${recommendNote}`);
    // Without a saved similarity index, `/api/recommend` would build one inside the server (the
    // home page does not ask then): a build, not serving, so it is left out.
    const recommendApi = similarFileBytes !== undefined || papers <= 20_000;
    if (!recommendApi)
      recommendNote += '; `/api/recommend` left out (no similarity index: it would build one)';
    // The API allows a person 30 recommendation requests a minute: at most 12 each here, so that
    // this phase and the mixed one (which takes its share of this list) stay within it.
    const apiCalls = new Array<number>(o.users).fill(0);
    const recommend: Planned[] = Array.from({ length: o.requests }, (_, i) => {
      const u = i % o.users;
      const cookie = sessions[u]!;
      if (i % 2 === 0 || !recommendApi || apiCalls[u]! >= 12)
        return { kind: 'home, signed in', path: '/', headers: { cookie } };
      apiCalls[u]!++;
      return {
        kind: 'recommend API',
        path: `/api/recommend?${likedRefs[u]!.map((ref) => `like=${encodeURIComponent(ref)}`).join('&')}`,
        headers: { cookie },
      };
    });
    await phase('recommend', recommend);

    // Everything at once, in a seeded order.
    const mixed = pick(
      interleave([home, search, author, similar, paper, recommend], o.mixedRequests),
      o.mixedRequests,
      random,
    );
    await phase('mixed', mixed, o.mixedConnections);
  } finally {
    await stopServer();
  }
  const loadAfter = loadavg()[0]!;

  const peak = Math.max(...samples.map((s) => s.hwm), ...checkpoints.map((c) => c.hwm));
  const meets = peak <= TARGET_BYTES;
  console.log(
    `peak (VmHWM) ${fmt(mib(peak))} MiB; highest sampled RSS ${fmt(mib(Math.max(...samples.map((s) => s.rss))))} MiB (${samples.length} samples every 250 ms)`,
  );
  console.log(
    `target: serving memory ≤ 2.5 GB (${fmt(mib(TARGET_BYTES))} MiB): ${meets ? 'met' : 'NOT met'} at ${fmt(papers)} papers (peak ${fmt(mib(peak))} MiB)`,
  );
  const last = checkpoints[checkpoints.length - 1];
  if (last) console.log(breakdown(last).join('\n'));
  console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  if (o.noDoc) return;

  const phaseRows = results
    .map((r) => {
      const kindsLine =
        r.byKind.size > 1
          ? [...r.byKind]
              .map(([k, l]) => `${k} ${round(percentile(l, 50))}/${round(percentile(l, 95))}`)
              .join('; ')
          : '';
      const shown = [
        r.similarShown[1] ? `similar papers on ${r.similarShown[0]}/${r.similarShown[1]} paper pages` : '',
        r.forYouShown[1] ? `"For you" on ${r.forYouShown[0]}/${r.forYouShown[1]}` : '',
        r.failed ? `${r.failed} failed` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `| ${r.phase} | ${r.connections} | ${fmt(r.requests)} | ${r.p50} | ${r.p95} | ${r.max} | ${r.cpuMs} | ${fmt(mib(r.rssEnd))} | ${[kindsLine, shown].filter(Boolean).join('; ')} |`;
    })
    .join('\n');
  const checkpointRows = checkpoints
    .map((c) => {
      const main = c.isolates.find((t) => t.thread === 'main');
      const workers = c.isolates.filter((t) => t.thread !== 'main');
      const sum = (list: ThreadMemory[], f: (t: ThreadMemory) => number) =>
        list.reduce((s, t) => s + f(t), 0);
      return `| ${c.label} | ${c.seconds.toFixed(0)} | **${fmt(mib(c.rss))}** | ${fmt(mib(c.hwm))} | ${main ? `${fmt(mib(main.heapPhysical))} / ${fmt(mib(main.arrayBuffers))} / ${fmt(mib(main.external - main.arrayBuffers))}` : '–'} | ${workers.length} | ${fmt(mib(sum(workers, (t) => t.heapPhysical)))} / ${fmt(mib(sum(workers, (t) => t.external)))} | ${fmt(mib(c.mappings['code and libraries']))} | ${fmt(mib(c.mappings['SQLite file'] + c.mappings['other files']))} | ${c.threads} | ${c.connections} |`;
    })
    .join('\n');
  writeBenchSection(
    join(repoRoot, 'docs', 'benchmarks.md'),
    'server-memory',
    `## Serving memory of the whole server

\`paperscope serve\` itself, measured: the real command in a child process on ${fmt(papers)} papers (\`${o.data}\`),
its VmRSS and VmHWM read from \`/proc/PID/status\` every 250 ms for the whole run (page workers and background
jobs are threads of that process, so they are counted). Once the search index was read and warmed up, a fixed,
seeded mix of requests in phases over keep-alive connections (${o.connections} per phase, ${o.mixedConnections} in the mixed
one): home listings; searches (rare and common title words, a phrase, \`author:"…" year:2015-\`, \`a -b\`, and one in
three of them with a facet's filter added, \`cat:\` or \`year:\`); author pages; paper pages of random papers with
their similar papers; paper pages by arXiv id; recommendations (${recommendNote}: their home page's "For you" and
\`/api/recommend\` with their saved papers); then all of them mixed. Search index file: ${searchFileBytes === undefined ? 'none (built by the server)' : `${fmt(mib(searchFileBytes))} MiB`}; similar papers: ${similarNote}.

**Peak (VmHWM) ${fmt(mib(peak))} MiB** for the whole run. Target (issue 3): serving memory ≤ 2.5 GB (${fmt(mib(TARGET_BYTES))} MiB) at 2.9M papers: ${meets ? `**met** at ${fmt(papers)} papers` : `**not met** at ${fmt(papers)} papers`}.

| phase | connections | requests | p50 ms | p95 ms | max ms | server CPU ms/request | RSS at end, MiB | per kind p50/p95 ms, notes |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${phaseRows}

Where the memory is, at each checkpoint (MiB). Main thread: its V8 heap (resident) / array buffers (the parts of
the search and similarity indexes held in memory: the doc table, kept decoded words, skip tables, similar papers'
groups and kept lists; postings, positions and int8 vectors are read from their files) / other external memory;
workers: their V8 heaps / external memory, summed. Code: \`node\` and its libraries mapped from disk. Mapped files:
the data files mapped (SQLite's WAL index and any others). What RSS has beyond these is native memory: SQLite's page
caches (up to 16 MiB per read-only connection, 64 MiB for the writer), the allocator's arenas and stacks.

| checkpoint | s | RSS | peak | main: heap / array buffers / other external | workers | workers: heaps / external | code | mapped files | threads | SQLite connections |
| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |
${checkpointRows}

${
  last
    ? `${breakdown(last)[0]!.replace(/:$/, '')}:\n\n${breakdown(last)
        .slice(1)
        .map((l) => `- ${l.trim()}`)
        .join('\n')}`
    : ''
}

Search warm-up: ${warmUpLine.replace(/^paperscope: /, '')}.

- command: \`npm run bench:server-memory -- --data ${o.data}${o.connections !== 2 ? ` --connections ${o.connections}` : ''}${o.mixedConnections !== 4 ? ` --mixed-connections ${o.mixedConnections}` : ''}${o.requests !== 300 ? ` --requests ${o.requests}` : ''}${o.mixedRequests !== 600 ? ` --mixed-requests ${o.mixedRequests}` : ''}\`
- machine: ${machineLine(machine)}; shared with other work while it ran (load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${machine.cores} cores)
- revision: ${gitRevision(repoRoot)}, ${new Date().toISOString().slice(0, 10)}
`,
    machine,
  );
  console.log('wrote docs/benchmarks.md (bench:server-memory)');
}

/** The last checkpoint's memory, split as far as /proc and the threads' own figures allow. */
function breakdown(c: Checkpoint): string[] {
  const lines = [`where the memory is (${c.label}), MiB of ${fmt(mib(c.rss))} resident:`];
  let accounted = 0;
  for (const t of c.isolates) {
    lines.push(
      `  ${threadName(t)}: V8 heap ${fmt(mib(t.heapPhysical))} (used ${fmt(mib(t.heapUsed))}), array buffers ${fmt(mib(t.arrayBuffers))}, other external ${fmt(mib(t.external - t.arrayBuffers))}`,
    );
    accounted += t.heapPhysical + t.external;
  }
  for (const [group, bytes] of Object.entries(c.mappings)) {
    if (group === 'anonymous' || group === 'malloc heap') continue;
    lines.push(`  mapped ${group}: ${fmt(mib(bytes))}`);
    accounted += bytes;
  }
  const changed = c.isolates.reduce((n, t) => n + (t.cacheChanged ?? 0), 0);
  if (changed > 0)
    lines.push(`  (experiment: ${changed} SQLite connections given the --sqlite-cache-mib page cache)`);
  lines.push(
    `  the rest (native: SQLite page caches of ${c.connections} connections, allocator arenas, isolates' own overhead): ${fmt(mib(c.rss - accounted))}`,
  );
  return lines;
}

await main();
