import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NameSample, nameFromDisplay, nameFromParts, splitAuthorString } from './names.ts';
import { bump } from './prng.ts';

/**
 * What the synthetic generator learns from the real captured files at run time: vocabulary
 * and its frequencies, length distributions, author name shapes, the category mix and the
 * optional fields. Read with plain string and regex processing: the point is statistics,
 * not a faithful parse (that is the adapters' job).
 */
export interface Corpus {
  /** Abstract vocabulary: word → times seen. */
  words: Map<string, number>;
  titleWords: Map<string, number>;
  titleLengths: number[];
  abstractLengths: number[];
  sentenceLengths: number[];
  authorCounts: number[];
  families: Map<string, number>;
  givens: Map<string, number>;
  /** Given-name shapes: F = full name, I = `A.`, i = `A`, H = `J.-P.`; `FI` = `Scott T.`. */
  givenShapes: Map<string, number>;
  /** Primary archive (math, cs, cond-mat, hep-th, …) → weight, from setSpec and bulk categories. */
  archives: Map<string, number>;
  /** Archive → whole `categories` strings seen with that primary archive. */
  categoryCombos: Map<string, Map<string, number>>;
  math: string[];
  comments: string[];
  journalRefs: string[];
  reportNos: string[];
  dois: string[];
  licenses: Map<string, number>;
  versionCounts: number[];
  /** Share of bulk records with each optional field filled. */
  shares: { comments: number; journalRef: number; doi: number; reportNo: number; authorsParsed: number };
}

export interface CorpusDirs {
  bulk: string;
  oai: string;
  seeds: string;
}

export function defaultCorpusDirs(shared: string): CorpusDirs {
  return {
    bulk: join(shared, 'fixtures', 'arxiv-bulk'),
    oai: join(shared, 'fixtures', 'arxiv-oai'),
    seeds: join(shared, 'seeds'),
  };
}

const MATH = /\$[^$]{1,80}\$/g;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function loadCorpus(dirs: CorpusDirs): Corpus {
  const c = emptyCorpus();
  const rawWords = new Map<string, number>();
  const rawTitleWords = new Map<string, number>();
  const names: NameSample[] = [];
  const addAbstract = (text: string): void => addProse(c, rawWords, text);
  const addTitle = (text: string): void => {
    const tokens = tokenize(text);
    if (tokens.length === 0) return;
    c.titleLengths.push(tokens.length);
    for (const t of tokens) bump(rawTitleWords, t);
  };

  let bulkCount = 0;
  const filled = { comments: 0, journalRef: 0, doi: 0, reportNo: 0, authorsParsed: 0 };
  const optional = (value: unknown, into: string[], field: keyof typeof filled): void => {
    if (!str(value)) return;
    filled[field]++;
    into.push(value as string);
  };
  for (const file of listFiles(dirs.bulk, '.jsonl')) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const r = parseJson(line);
      if (!r) continue;
      bulkCount++;
      if (typeof r.abstract === 'string') addAbstract(r.abstract);
      if (typeof r.title === 'string') addTitle(r.title);
      if (typeof r.authors === 'string') {
        const list = splitAuthorString(r.authors);
        c.authorCounts.push(list.length);
        for (const item of list) pushName(names, nameFromDisplay(undoubleBackslashes(item)));
      }
      if (Array.isArray(r.authors_parsed)) {
        filled.authorsParsed++;
        for (const p of r.authors_parsed as unknown[]) {
          if (Array.isArray(p)) pushName(names, nameFromParts(String(p[0] ?? ''), String(p[1] ?? '')));
        }
      }
      if (typeof r.categories === 'string') addCategories(c, r.categories, 1);
      optional(r.comments, c.comments, 'comments');
      optional(r['journal-ref'], c.journalRefs, 'journalRef');
      optional(r.doi, c.dois, 'doi');
      optional(r['report-no'], c.reportNos, 'reportNo');
      bump(c.licenses, str(r.license) ? (r.license as string) : '');
      if (Array.isArray(r.versions)) c.versionCounts.push(r.versions.length);
    }
  }
  const n = Math.max(1, bulkCount);
  c.shares = {
    comments: filled.comments / n,
    journalRef: filled.journalRef / n,
    doi: filled.doi / n,
    reportNo: filled.reportNo / n,
    authorsParsed: filled.authorsParsed / n,
  };

  for (const file of listFiles(dirs.oai, '.xml').filter((f) => /ListRecords/.test(f))) {
    const xml = readFileSync(file, 'utf8');
    for (const rec of xml.split('<record>').slice(1)) {
      const spec = /<setSpec>([^<]+)<\/setSpec>/.exec(rec)?.[1];
      if (spec) bump(c.archives, spec.split(':').pop()!);
      const title = /<dc:title>([\s\S]*?)<\/dc:title>/.exec(rec)?.[1];
      if (title) addTitle(decodeXml(title));
      const creators = [...rec.matchAll(/<dc:creator>([\s\S]*?)<\/dc:creator>/g)].map((m) =>
        decodeXml(m[1]!),
      );
      if (creators.length > 0) c.authorCounts.push(creators.length);
      for (const cr of creators) {
        const comma = cr.indexOf(', ');
        pushName(
          names,
          comma > 0 ? nameFromParts(cr.slice(0, comma), cr.slice(comma + 2)) : nameFromDisplay(cr),
        );
      }
      for (const m of rec.matchAll(/<dc:description>([\s\S]*?)<\/dc:description>/g)) {
        const d = decodeXml(m[1]!);
        if (d.startsWith('Comment:')) c.comments.push(d.slice(8).trim());
        else addAbstract(d);
      }
    }
  }

  for (const file of listFiles(dirs.seeds, '.txt'))
    addSeedText(c, readFileSync(file, 'utf8'), addTitle, addAbstract, names);

  c.words = foldCase(rawWords);
  c.titleWords = foldCase(rawTitleWords);
  for (const nm of names) {
    bump(c.families, nm.family);
    bump(c.givenShapes, nm.shape);
    for (const g of nm.fullGivens) bump(c.givens, g);
  }
  return c;
}

/** Pages saved from the web: prose lines are abstracts, the short line before one is its title, comma lists of names are author lines. */
function addSeedText(
  c: Corpus,
  text: string,
  addTitle: (t: string) => void,
  addAbstract: (t: string) => void,
  names: NameSample[],
): void {
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (line.length > 250 && /\. [A-Z]/.test(line)) {
      addAbstract(line.replace(/^Abstract:\s*/, ''));
      const prev = lines[i - 1] ?? '';
      if (prev.length > 10 && prev.length < 220 && !/[!.]$/.test(prev) && !prev.includes(',')) addTitle(prev);
      continue;
    }
    const items = splitAuthorString(line);
    if (items.length >= 2 && items.every((it) => /^\p{Lu}[\p{L}.'-]*( [\p{L}.'-]+){1,3}$/u.test(it))) {
      c.authorCounts.push(items.length);
      for (const it of items) pushName(names, nameFromDisplay(it));
    }
  }
}

function addProse(c: Corpus, counts: Map<string, number>, text: string): void {
  for (const m of text.match(MATH) ?? []) if (!m.includes('\n')) c.math.push(undoubleBackslashes(m));
  const plain = text.replace(MATH, ' ').replace(/\\[a-zA-Z]+/g, ' ');
  const tokens = tokenize(plain);
  if (tokens.length < 20) return;
  c.abstractLengths.push(tokens.length);
  for (const t of tokens) bump(counts, t);
  for (const s of plain.split(/(?<=[.!?])\s+(?=\p{Lu})/u)) {
    const k = tokenize(s).length;
    if (k >= 3) c.sentenceLengths.push(k);
  }
}

function addCategories(c: Corpus, categories: string, weight: number): void {
  const cats = categories.trim().split(/\s+/);
  if (!cats[0]) return;
  const archive = cats[0].split('.')[0]!;
  bump(c.archives, archive, weight);
  const combos = c.categoryCombos.get(archive) ?? new Map<string, number>();
  c.categoryCombos.set(archive, combos);
  bump(combos, cats.join(' '));
}

function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((t) => t.replace(/['’-]+$/, '')).filter((t) => t.length > 0);
}

/** `The` at a sentence start is the same word as `the`; acronyms and proper nouns keep their case. */
function foldCase(raw: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [w, n] of raw) {
    const lower = w.toLowerCase();
    const capitalizedOnly = w !== lower && w.slice(1) === lower.slice(1);
    bump(out, capitalizedOnly && raw.has(lower) ? lower : w, n);
  }
  return out;
}

function pushName(names: NameSample[], nm: NameSample | undefined): void {
  if (nm) names.push(nm);
}

/** The browse sample escapes LaTeX twice (`Le\\'on` once the JSON is decoded); the bulk snapshot has `Le\'on`. */
export function undoubleBackslashes(s: string): string {
  return s.replace(/\\\\/g, '\\');
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.trim()) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function str(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

function listFiles(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(dir, f));
}

function emptyCorpus(): Corpus {
  return {
    words: new Map(),
    titleWords: new Map(),
    titleLengths: [],
    abstractLengths: [],
    sentenceLengths: [],
    authorCounts: [],
    families: new Map(),
    givens: new Map(),
    givenShapes: new Map(),
    archives: new Map(),
    categoryCombos: new Map(),
    math: [],
    comments: [],
    journalRefs: [],
    reportNos: [],
    dois: [],
    licenses: new Map(),
    versionCounts: [],
    shares: { comments: 0, journalRef: 0, doi: 0, reportNo: 0, authorsParsed: 0 },
  };
}
