import { closeSync, readSync } from 'node:fs';

/**
 * Pages of a byte-stream pool that stay in the saved snapshot instead of in memory: where
 * each page's bytes begin in the file and how many there are. Only phrases read the positions
 * pool, and a phrase only the stretches of its candidates, so a few positional reads (from the
 * page cache, once the file has been read) stand in for holding every position: 253 MiB at
 * 1M papers, about 730 MiB at 2.9M.
 *
 * The file is held open by descriptor: a newer snapshot renamed over the same name later
 * leaves this one readable, and the descriptor goes when the pages are closed or collected.
 */
export class FiledPages {
  private open = true;

  constructor(
    private readonly fd: number,
    /** Where page i's bytes begin in the file. */
    readonly at: readonly number[],
    /** How many bytes of page i the file holds (the last page is cut to what was used). */
    readonly length: readonly number[],
  ) {
    closeWhenCollected.register(this, fd, this);
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
    closeWhenCollected.unregister(this);
    closeSync(this.fd);
  }
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});
