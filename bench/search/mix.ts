import { readPapers } from './corpus.ts';

/**
 * The fixed query mix, in five kinds, picked from the first papers of the file with a fixed
 * rule (so every engine and every run gets the same queries). Each query is written in the
 * Paperscope language and also taken apart for engines without one.
 */
export type QueryKind = 'rare term' | 'common term' | 'phrase' | 'author+year' | 'boolean NOT';

export interface BenchQuery {
  kind: QueryKind;
  /** The Paperscope query. */
  query: string;
  /** Words every hit must have (phrase words in order for the phrase kind). */
  words: string[];
  /** Words no hit may have. */
  without?: string[];
  author?: string;
  year?: number;
}

const COMMON = ['learning', 'model', 'results', 'method', 'field'];
const NOT_PAIRS: [string, string][] = [
  ['learning', 'quantum'],
  ['model', 'data'],
  ['network', 'training'],
  ['energy', 'model'],
  ['field', 'theory'],
];
const WORD = /^[a-z]{5,}$/;

export async function buildMix(file: string, sample = 20_000, perKind = 10): Promise<BenchQuery[]> {
  const titleWords = new Map<string, number>();
  const phrases: string[][] = [];
  const authorYears: [string, number][] = [];
  let n = 0;
  for await (const p of readPapers(file, sample)) {
    n++;
    const words = p.title.toLowerCase().split(/\s+/);
    for (const w of new Set(words)) if (WORD.test(w)) titleWords.set(w, (titleWords.get(w) ?? 0) + 1);
    if (n % 97 === 0 && phrases.length < perKind) {
      for (let i = 0; i + 1 < words.length; i++) {
        if (WORD.test(words[i]!) && WORD.test(words[i + 1]!)) {
          phrases.push([words[i]!, words[i + 1]!]);
          break;
        }
      }
    }
    if (
      n % 89 === 0 &&
      authorYears.length < perKind &&
      p.year &&
      p.authors[0] &&
      /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(p.authors[0])
    ) {
      authorYears.push([p.authors[0], p.year]);
    }
  }
  const rare = [...titleWords].filter(([, c]) => c === 1).map(([w]) => w);
  const step = Math.max(1, Math.floor(rare.length / perKind));
  const mix: BenchQuery[] = [];
  for (let i = 0; i < perKind && i * step < rare.length; i++) {
    const w = rare[i * step]!;
    mix.push({ kind: 'rare term', query: w, words: [w] });
  }
  for (const w of COMMON) mix.push({ kind: 'common term', query: w, words: [w] });
  for (const ph of phrases) mix.push({ kind: 'phrase', query: `"${ph.join(' ')}"`, words: ph });
  for (const [author, year] of authorYears) {
    mix.push({ kind: 'author+year', query: `author:"${author}" year:${year}`, words: [], author, year });
  }
  for (const [a, b] of NOT_PAIRS)
    mix.push({ kind: 'boolean NOT', query: `${a} -${b}`, words: [a], without: [b] });
  return mix;
}
