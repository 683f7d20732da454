import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { initialKey, nameKey, personFromDisplay, splitAuthorList } from '../../src/domain/names.ts';

/**
 * Papers for the search benchmark, read straight from an arXiv bulk JSON-lines file and
 * shaped as an import keeps them (whitespace collapsed, authors split with the names module,
 * date from the first version), numbered 1, 2, 3… in file order. Every engine gets the same
 * papers. The real parser and LaTeX-to-text take 0.45 ms a record, which at 2.9M records
 * would be most of the run, so the shaping here is the short version.
 */
export interface BenchPaper {
  id: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  year: number | null;
  published: string | null;
  doi: boolean;
}

const SPACES = /\s+/g;

function dateOf(created: unknown): string | null {
  if (typeof created !== 'string') return null;
  const t = Date.parse(created);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

export async function* readPapers(
  file: string,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<BenchPaper> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
  });
  let id = 0;
  for await (const line of lines) {
    if (id >= limit) break;
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    const title = typeof o['title'] === 'string' ? o['title'].replace(SPACES, ' ').trim() : '';
    if (!title) continue;
    const versions = Array.isArray(o['versions']) ? (o['versions'] as { created?: unknown }[]) : [];
    const published = dateOf(versions[0]?.created);
    id++;
    yield {
      id,
      title,
      abstract: typeof o['abstract'] === 'string' ? o['abstract'].replace(SPACES, ' ').trim() : '',
      authors: typeof o['authors'] === 'string' ? splitAuthorList(o['authors'].replace(SPACES, ' ')) : [],
      categories: typeof o['categories'] === 'string' ? o['categories'].split(' ').filter(Boolean) : [],
      year: published ? Number(published.slice(0, 4)) : null,
      published,
      doi: typeof o['doi'] === 'string' && o['doi'].length > 0,
    };
  }
}

/** People by name key and initial key, as the store's author tables would file them. */
export class BenchPeople {
  private readonly byKey = new Map<string, number>();
  private readonly byInitial = new Map<string, number[]>();
  readonly names: string[] = [''];

  idOf(display: string): number {
    const person = personOf(display);
    const key = nameKey(person);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(display);
      this.byKey.set(key, id);
      const ik = initialKey(person);
      const list = this.byInitial.get(ik);
      if (list) list.push(id);
      else this.byInitial.set(ik, [id]);
    }
    return id;
  }

  withKey(key: string): number[] {
    const id = this.byKey.get(key);
    return id === undefined ? [] : [id];
  }

  withInitialKey(key: string): number[] {
    return this.byInitial.get(key) ?? [];
  }
}

const personOf = (display: string) => personFromDisplay(display);
