/**
 * What search knows of each paper besides its words, in flat arrays indexed by paper id:
 * whether it exists, its version (bumped when it is re-indexed, so stale postings are
 * skipped), its length in tokens, year, date order, flags, sources, categories and authors.
 */

export const NO_YEAR = -2147483648;
export const FLAG_CODE = 1;
export const FLAG_DOI = 2;
export const FLAG_ABSTRACT = 4;

/** The fields of one paper that filters, facets and ranking read. */
export interface DocAttributes {
  id: number;
  year: number | null;
  /** `published` or, without it, the year: the SQLite engine's date order. */
  published: string | null;
  flags: number;
  /** Bit i: the paper came from source i of `SOURCE_NAMES`. */
  sources: number;
  categories: string[];
  authorIds: number[];
}

const ID_SPAN = 2 ** 24;

/**
 * Date order as one number: newer first means larger. `published` strings compare as SQLite
 * compares them (a year alone sorts before any date in that year); undated papers sort last;
 * the id breaks ties, newer ids first.
 */
export function dateSortKey(id: number, published: string | null, year: number | null): number {
  const text = published ?? (year === null ? null : String(year));
  if (text === null) return id - ID_SPAN;
  const m = /^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(text);
  if (!m) return id - ID_SPAN;
  const y = Number(m[1]);
  const key = (y + 10000) * 10000 + (m[2] ? Number(m[2]) : 0) * 100 + (m[3] ? Number(m[3]) : 0);
  return key * ID_SPAN + id;
}

function grownTo<T extends Int32Array | Uint32Array | Uint8Array | Uint16Array | Float64Array>(
  a: T,
  need: number,
  make: (n: number) => T,
): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

export interface DocTableState {
  size: number;
  live: number;
  exists: Uint8Array;
  version: Uint8Array;
  length: Uint32Array;
  year: Int32Array;
  sortKey: Float64Array;
  flags: Uint8Array;
  sources: Uint16Array;
  attrStart: Uint32Array;
  catCount: Uint8Array;
  authorCount: Uint16Array;
  attrPool: Int32Array;
  attrUsed: number;
  categories: string[];
}

export class DocTable {
  /** One more than the largest paper id. */
  size: number;
  /** Bumped by every `put`. */
  generation = 0;
  live: number;
  exists: Uint8Array;
  version: Uint8Array;
  length: Uint32Array;
  year: Int32Array;
  sortKey: Float64Array;
  flags: Uint8Array;
  sources: Uint16Array;
  attrStart: Uint32Array;
  catCount: Uint8Array;
  authorCount: Uint16Array;
  attrPool: Int32Array;
  private attrUsed: number;
  readonly categories: string[];
  private readonly categoryIds = new Map<string, number>();
  /** Papers of each category id, appended as they come (re-checked on reading). */
  private categoryDocs: Int32Array[] = [];
  private categoryDocCount: number[] = [];

  constructor(state?: DocTableState) {
    const n = 1024;
    this.size = state?.size ?? 1;
    this.live = state?.live ?? 0;
    this.exists = state?.exists ?? new Uint8Array(n);
    this.version = state?.version ?? new Uint8Array(n);
    this.length = state?.length ?? new Uint32Array(n);
    this.year = state?.year ?? new Int32Array(n).fill(NO_YEAR);
    this.sortKey = state?.sortKey ?? new Float64Array(n);
    this.flags = state?.flags ?? new Uint8Array(n);
    this.sources = state?.sources ?? new Uint16Array(n);
    this.attrStart = state?.attrStart ?? new Uint32Array(n);
    this.catCount = state?.catCount ?? new Uint8Array(n);
    this.authorCount = state?.authorCount ?? new Uint16Array(n);
    this.attrPool = state?.attrPool ?? new Int32Array(4096);
    this.attrUsed = state?.attrUsed ?? 0;
    this.categories = state?.categories ?? [];
    this.categories.forEach((c, i) => {
      this.categoryIds.set(c, i);
      this.categoryDocs.push(new Int32Array(64));
      this.categoryDocCount.push(0);
    });
    if (state) {
      for (let d = 1; d < this.size; d++) {
        if (!this.exists[d]) continue;
        for (const c of this.categoryIdsOf(d)) this.addCategoryDoc(c, d);
      }
    }
  }

  get state(): DocTableState {
    const n = this.size;
    return {
      size: n,
      live: this.live,
      exists: this.exists.subarray(0, n),
      version: this.version.subarray(0, n),
      length: this.length.subarray(0, n),
      year: this.year.subarray(0, n),
      sortKey: this.sortKey.subarray(0, n),
      flags: this.flags.subarray(0, n),
      sources: this.sources.subarray(0, n),
      attrStart: this.attrStart.subarray(0, n),
      catCount: this.catCount.subarray(0, n),
      authorCount: this.authorCount.subarray(0, n),
      attrPool: this.attrPool.subarray(0, this.attrUsed),
      attrUsed: this.attrUsed,
      categories: this.categories,
    };
  }

  get bytes(): number {
    return (
      this.size * 30 + this.attrPool.byteLength + this.categoryDocs.reduce((s, a) => s + a.byteLength, 0)
    );
  }

  private ensure(id: number): void {
    if (id < this.size) return;
    const need = id + 1;
    this.exists = grownTo(this.exists, need, (n) => new Uint8Array(n));
    this.version = grownTo(this.version, need, (n) => new Uint8Array(n));
    this.length = grownTo(this.length, need, (n) => new Uint32Array(n));
    if (need > this.year.length) {
      const old = this.year.length;
      this.year = grownTo(this.year, need, (n) => new Int32Array(n));
      this.year.fill(NO_YEAR, old);
    }
    this.sortKey = grownTo(this.sortKey, need, (n) => new Float64Array(n));
    this.flags = grownTo(this.flags, need, (n) => new Uint8Array(n));
    this.sources = grownTo(this.sources, need, (n) => new Uint16Array(n));
    this.attrStart = grownTo(this.attrStart, need, (n) => new Uint32Array(n));
    this.catCount = grownTo(this.catCount, need, (n) => new Uint8Array(n));
    this.authorCount = grownTo(this.authorCount, need, (n) => new Uint16Array(n));
    this.size = need;
  }

  private addCategoryDoc(c: number, d: number): void {
    let list = this.categoryDocs[c]!;
    const n = this.categoryDocCount[c]!;
    if (n === list.length) {
      const bigger = new Int32Array(list.length * 2);
      bigger.set(list);
      this.categoryDocs[c] = list = bigger;
    }
    list[n] = d;
    this.categoryDocCount[c] = n + 1;
  }

  /**
   * Record (or replace) a paper's attributes. Returns its new version: postings written
   * with an older version no longer count.
   */
  put(doc: DocAttributes, tokenCount: number): number {
    const d = doc.id;
    this.ensure(d);
    this.generation++;
    const isNew = !this.exists[d];
    const version = isNew ? this.version[d]! : (this.version[d]! + 1) & 0xff;
    this.version[d] = version;
    if (isNew) this.live++;
    this.exists[d] = 1;
    this.length[d] = tokenCount;
    this.year[d] = doc.year ?? NO_YEAR;
    this.sortKey[d] = dateSortKey(d, doc.published, doc.year);
    this.flags[d] = doc.flags;
    this.sources[d] = doc.sources;
    const cats = [...new Set(doc.categories)].slice(0, 255);
    const authors = doc.authorIds.slice(0, 65535);
    const need = this.attrUsed + cats.length + authors.length;
    if (need > this.attrPool.length) {
      const bigger = new Int32Array(Math.max(need, this.attrPool.length * 2));
      bigger.set(this.attrPool.subarray(0, this.attrUsed));
      this.attrPool = bigger;
    }
    const before = isNew ? new Set<number>() : new Set(this.categoryIdsOf(d));
    this.attrStart[d] = this.attrUsed;
    this.catCount[d] = cats.length;
    this.authorCount[d] = authors.length;
    for (const c of cats) {
      let id = this.categoryIds.get(c);
      if (id === undefined) {
        id = this.categories.length;
        this.categories.push(c);
        this.categoryIds.set(c, id);
        this.categoryDocs.push(new Int32Array(64));
        this.categoryDocCount.push(0);
      }
      this.attrPool[this.attrUsed++] = id;
      if (!before.has(id)) this.addCategoryDoc(id, d);
    }
    for (const a of authors) this.attrPool[this.attrUsed++] = a;
    return version;
  }

  categoryIdsOf(d: number): Int32Array {
    const s = this.attrStart[d]!;
    return this.attrPool.subarray(s, s + this.catCount[d]!);
  }

  authorIdsOf(d: number): Int32Array {
    const s = this.attrStart[d]! + this.catCount[d]!;
    return this.attrPool.subarray(s, s + this.authorCount[d]!);
  }

  /** Category ids whose name passes `test`. */
  categoriesWhere(test: (name: string) => boolean): number[] {
    const out: number[] = [];
    this.categories.forEach((c, i) => {
      if (test(c)) out.push(i);
    });
    return out;
  }

  /** Papers that have category `c` now (the append-only list is checked against each paper). */
  forEachDocOfCategory(c: number, visit: (d: number) => void): void {
    const list = this.categoryDocs[c]!;
    const n = this.categoryDocCount[c]!;
    for (let i = 0; i < n; i++) {
      const d = list[i]!;
      if (this.categoryIdsOf(d).includes(c)) visit(d);
    }
  }
}
