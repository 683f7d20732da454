import { closeSync, readSync } from 'node:fs';

/**
 * Pages of a byte-stream pool that stay in the saved snapshot instead of in memory: where
 * each page's bytes begin in the file and how many there are. A search reads a word's
 * postings once per query (the commonest words are kept decoded, see `warm-up.ts`) and a
 * phrase only the stretches of its candidates' positions, so positional reads (from the page
 * cache, once the file has been read) stand in for holding every posting and position: at
 * 2.9M papers about 1.1 GB of postings and 730 MiB of positions.
 *
 * The file is held open by descriptor, shared by the pools read from it: a newer snapshot
 * renamed over the same name later leaves this one readable, and the descriptor goes when
 * every pool reading it is closed or collected.
 */
export class FiledPages {
  private open = true;
  private readonly fd: number;

  constructor(
    private readonly file: OpenFile,
    /** Where page i's bytes begin in the file. */
    readonly at: readonly number[],
    /** How many bytes of page i the file holds (the last page is cut to what was used). */
    readonly length: readonly number[],
  ) {
    this.fd = file.fd;
    file.users++;
  }

  /** How many pages (the pool's first `count` pages) are read from the file. */
  get count(): number {
    return this.at.length;
  }

  /**
   * `n` bytes at pool offset `address` (page `address >>> pageBits`) into `into[offset…]`. A
   * read past what the file holds is a bug (a block never crosses its page or the used end).
   */
  read(address: number, pageBits: number, into: Uint8Array, offset: number, n: number): void {
    const page = address >>> pageBits;
    const inPage = address - page * 2 ** pageBits;
    if (page >= this.at.length || inPage + n > this.length[page]!)
      throw new Error(`search index: read past a filed page (page ${page}, ${inPage}+${n})`);
    const position = this.at[page]! + inPage;
    let got = 0;
    while (got < n) {
      const k = readSync(this.fd, into, offset + got, n - got, position + got);
      if (k === 0) throw new Error('search index: the snapshot file ended early');
      got += k;
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.file.release();
  }
}

/** A snapshot's descriptor, closed when the last pool reading it closes or when it is collected. */
export class OpenFile {
  users = 0;
  private open = true;

  constructor(readonly fd: number) {
    closeWhenCollected.register(this, fd, this);
  }

  release(): void {
    if (--this.users > 0 || !this.open) return;
    this.open = false;
    closeWhenCollected.unregister(this);
    closeSync(this.fd);
  }
}

/** The two pools of a saved index read from its file: postings and positions. */
export class FiledSnapshot {
  constructor(
    readonly docs: FiledPages,
    readonly positions: FiledPages,
  ) {}

  close(): void {
    this.docs.close();
    this.positions.close();
  }
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});
