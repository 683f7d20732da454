import { foldName, personFromDisplay } from '../domain/names.ts';
import type { Paper } from '../domain/paper.ts';
import type { PersonName } from '../domain/record.ts';

/** What the BibTeX, RIS and CSL-JSON writers share: name parts, keys, dates, links. */

export interface NameParts {
  family: string;
  given?: string;
}

/** Family and given names of an author, reading the display form when the source gave no parts. */
export function nameParts(name: PersonName): NameParts {
  if (name.family) return name.given ? { family: name.family, given: name.given } : { family: name.family };
  const parsed = personFromDisplay(name.display);
  const family = parsed.family ?? parsed.display;
  return parsed.given ? { family, given: parsed.given } : { family };
}

const STOP_WORDS = new Set(
  'a an the on of in for and to with toward towards via from is are at by as do does can be we your our its into beyond how what why when'.split(
    ' ',
  ),
);

function ascii(text: string): string {
  return foldName(text).replace(/[^a-z0-9]/g, '');
}

/** `xiao2024rethinking`: first author's family name, year, first significant title word. */
export function baseCitationKey(paper: Paper): string {
  const first = paper.authors[0];
  const family = first ? ascii(nameParts(first.name).family) : '';
  const word =
    foldName(paper.title ?? '')
      .split(' ')
      .find((w) => w.length > 1 && !STOP_WORDS.has(w)) ?? '';
  const key = `${family || 'anon'}${yearOf(paper) ?? ''}${ascii(word)}`;
  return key;
}

/** Citation keys for one export, made unique with suffixes `a`, `b`, … in order of appearance. */
export function citationKeys(papers: Paper[]): string[] {
  const used = new Set<string>();
  return papers.map((paper) => {
    const base = baseCitationKey(paper);
    let key = base;
    for (let n = 0; used.has(key); n++) key = base + suffix(n);
    used.add(key);
    return key;
  });
}

/** a … z, aa, ab, … */
function suffix(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/** [year, month?, day?] from `published` (ISO) or `year`. */
export function dateParts(paper: Paper): number[] | undefined {
  const m = paper.published ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(paper.published) : null;
  if (m) return [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
  return paper.year !== undefined ? [paper.year] : undefined;
}

export function yearOf(paper: Paper): number | undefined {
  return paper.year ?? dateParts(paper)?.[0];
}

/** The landing page: arXiv abstract page, else the DOI resolver. */
export function landingUrl(paper: Paper): string | undefined {
  if (paper.ids.arxiv) return `https://arxiv.org/abs/${paper.ids.arxiv}`;
  if (paper.ids.doi) return `https://doi.org/${paper.ids.doi}`;
  return undefined;
}

/** The first category when it is an arXiv one (`cs.LG`, `hep-th`, `math.AG`). */
export function arxivPrimaryClass(paper: Paper): string | undefined {
  const c = paper.categories[0];
  return c && /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c) ? c : undefined;
}

/** Plain abstract for export: the derived text when there is one. */
export function abstractOf(paper: Paper): string | undefined {
  const text = (paper.abstractText ?? paper.abstract)?.replace(/\s+/g, ' ').trim();
  return text || undefined;
}
