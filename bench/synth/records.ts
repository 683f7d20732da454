import { type Corpus, type CorpusDirs, loadCorpus } from './corpus.ts';
import { AuthorPool, type Person } from './people.ts';
import { AliasSampler, Rng } from './prng.ts';
import { TextMaker, wrap } from './text.ts';

export interface SynthOptions {
  /** Where the real files are read from. */
  corpusDirs: CorpusDirs;
  /** Distinct people to draw authors from; default scales with `count` between 50k and 200k. */
  poolSize?: number;
}

/** New-style ids `YYMM.NNNNN` exist from 2015 on; the records spread over ten years of months. */
const FIRST_YEAR = 15;
const MONTHS = 120;
const DAY_MS = 86_400_000;

interface Samplers {
  archives: AliasSampler<string>;
  combos: Map<string, AliasSampler<string>>;
  licenses: AliasSampler<string>;
}

/**
 * `count` synthetic arXiv bulk-snapshot records, one JSON line each (no trailing newline),
 * ordered by id like the real snapshot. Everything is drawn from `new Rng(seed)`, so a seed
 * always gives the same lines; nothing is held per record, so memory stays flat.
 */
export function* generateRecords(count: number, seed: number, options: SynthOptions): Generator<string> {
  const corpus = loadCorpus(options.corpusDirs);
  const rng = new Rng(seed);
  const poolSize = options.poolSize ?? Math.min(200_000, Math.max(50_000, Math.round(count / 5)));
  const pool = new AuthorPool(corpus, poolSize, rng);
  const text = new TextMaker(corpus);
  const s = samplers(corpus);
  const perMonth = Math.ceil(count / MONTHS);
  if (perMonth > 99_999) throw new Error(`at most ${MONTHS * 99_999} records fit in new-style ids`);
  const gap = Math.floor(99_999 / perMonth);
  for (let i = 0; i < count; i++) {
    const month = Math.floor(i / perMonth);
    const yy = FIRST_YEAR + Math.floor(month / 12);
    const mm = (month % 12) + 1;
    const num = 1 + (i % perMonth) * gap + rng.int(gap);
    const id = `${yy}${String(mm).padStart(2, '0')}.${String(num).padStart(5, '0')}`;
    yield record(i, id, Date.UTC(2000 + yy, mm - 1, 1), corpus, rng, pool, text, s);
  }
}

function record(
  i: number,
  id: string,
  monthStart: number,
  corpus: Corpus,
  rng: Rng,
  pool: AuthorPool,
  text: TextMaker,
  s: Samplers,
): string {
  const authors = pool.draw(rng, Math.max(1, rng.pick(corpus.authorCounts))).map((k) => pool.people[k]!);
  const display = authors.map(fullName);
  const joined =
    display.length > 1 && rng.chance(0.6)
      ? `${display.slice(0, -1).join(', ')} and ${display[display.length - 1]}`
      : display.join(', ');
  const wrapped = rng.chance(0.85);
  const title = text.title(rng);
  const abstract = text.abstract(rng);
  const archive = s.archives.draw(rng);
  const license = s.licenses.draw(rng);
  const versions = versionDates(monthStart, rng.pick(corpus.versionCounts), rng);
  const updated = versions[versions.length - 1]! + rng.int(30) * DAY_MS;
  const fields: [string, unknown][] = [
    ['id', id],
    ['submitter', rng.chance(0.85) ? rng.pick(display) : fullName(pool.people[rng.int(pool.people.length)]!)],
    ['authors', wrapped ? wrap(joined, 78, '\n  ') : joined],
    ['title', wrapped ? wrap(title, 72, '\n  ') : title],
    ['comments', rng.chance(corpus.shares.comments) ? comment(corpus, rng) : null],
    ['journal-ref', maybe(rng, corpus.shares.journalRef, corpus.journalRefs)],
    [
      'doi',
      rng.chance(corpus.shares.doi) && corpus.dois.length > 0 ? uniqueDoi(rng.pick(corpus.dois), i) : null,
    ],
    ['report-no', maybe(rng, corpus.shares.reportNo, corpus.reportNos)],
    ['categories', s.combos.get(archive)?.draw(rng) ?? archive],
    ['license', license === '' ? null : license],
    ['abstract', wrapped ? `  ${wrap(abstract, 80, '\n')}\n` : `  ${abstract}`],
    ['versions', versions.map((t, v) => ({ version: `v${v + 1}`, created: new Date(t).toUTCString() }))],
    ['update_date', new Date(updated).toISOString().slice(0, 10)],
  ];
  if (rng.chance(Math.max(0.25, corpus.shares.authorsParsed))) {
    fields.push(['authors_parsed', authors.map((p) => [p.family, p.given, ''])]);
  }
  return pythonJson(fields);
}

function fullName(p: Person): string {
  return `${p.given} ${p.family}`;
}

function versionDates(monthStart: number, count: number, rng: Rng): number[] {
  let t = monthStart + rng.int(28) * DAY_MS + rng.int(DAY_MS / 1000) * 1000;
  const out = [t];
  for (let v = 1; v < count; v++) {
    t += rng.between(1, 240) * DAY_MS + rng.int(DAY_MS / 1000) * 1000;
    out.push(t);
  }
  return out;
}

function comment(corpus: Corpus, rng: Rng): string {
  if (corpus.comments.length > 0 && rng.chance(0.5)) return rng.pick(corpus.comments);
  const pages = `${rng.between(4, 60)} pages`;
  return rng.chance(0.7) ? `${pages}, ${rng.between(1, 15)} figures` : pages;
}

function maybe(rng: Rng, share: number, pool: string[]): string | null {
  return pool.length > 0 && rng.chance(share) ? rng.pick(pool) : null;
}

/** A real DOI's registrant and shape with its last number replaced, so no two records share one (a shared DOI would merge them). */
function uniqueDoi(template: string, i: number): string {
  const n = String(1_000_000 + i);
  return /\d+(?=\D*$)/.test(template) ? template.replace(/\d+(?=\D*$)/, n) : `${template}.${n}`;
}

function samplers(corpus: Corpus): Samplers {
  const combos = new Map<string, AliasSampler<string>>();
  for (const [archive, m] of corpus.categoryCombos) combos.set(archive, AliasSampler.fromCounts(m));
  return {
    archives: AliasSampler.fromCounts(corpus.archives),
    combos,
    licenses: AliasSampler.fromCounts(corpus.licenses),
  };
}

/** The snapshot is written by Python's json.dumps: `", "` and `": "` separators, non-ASCII kept escaped. */
function pythonJson(fields: [string, unknown][]): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}: ${pyValue(v)}`).join(', ')}}`;
}

function pyValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyValue(x)}`)
      .join(', ')}}`;
  }
  return asciiJson(v);
}

function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
