/**
 * The WordPiece tokenizer of BERT-style sentence-embedding models, read from their `vocab.txt`
 * (one token a line, the line number is the id): text lower-cased and stripped of accents
 * (for uncased models), split into words and punctuation, each word cut greedily into the
 * longest pieces in the vocabulary (`##` marks a piece inside a word), an unknown word becoming
 * `[UNK]`; `[CLS]` first and `[SEP]` last when the vocabulary has them.
 */
export interface WordPieceOptions {
  lowerCase?: boolean;
  /** Longest token sequence, special tokens included. Default 256. */
  maxTokens?: number;
}

const MAX_WORD_CHARS = 100;

export class WordPiece {
  private readonly ids: Map<string, number>;
  private readonly unknown: number;
  private readonly cls: number | undefined;
  private readonly sep: number | undefined;

  constructor(
    vocabulary: readonly string[],
    private readonly options: WordPieceOptions = {},
    source = 'the vocabulary',
  ) {
    this.ids = new Map();
    vocabulary.forEach((token, i) => {
      if (token.length > 0 && !this.ids.has(token)) this.ids.set(token, i);
    });
    const unknown = this.ids.get('[UNK]');
    if (unknown === undefined)
      throw new Error(`${source}: no [UNK] token, so this is not a WordPiece vocabulary`);
    this.unknown = unknown;
    this.cls = this.ids.get('[CLS]');
    this.sep = this.ids.get('[SEP]');
  }

  /** A `vocab.txt` file's text. */
  static fromText(text: string, options: WordPieceOptions = {}, source?: string): WordPiece {
    return new WordPiece(text.split(/\r?\n/), options, source);
  }

  encode(text: string): number[] {
    const max = Math.max(2, this.options.maxTokens ?? 256);
    const ids: number[] = [];
    if (this.cls !== undefined) ids.push(this.cls);
    const room = max - ids.length - (this.sep !== undefined ? 1 : 0);
    for (const word of this.words(text)) {
      for (const id of this.pieces(word)) {
        if (ids.length - (this.cls !== undefined ? 1 : 0) >= room) break;
        ids.push(id);
      }
    }
    if (this.sep !== undefined) ids.push(this.sep);
    return ids;
  }

  private words(text: string): string[] {
    let t = text.normalize('NFKC');
    if (this.options.lowerCase ?? true)
      t = t
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{M}+/gu, '');
    return t.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  }

  private pieces(word: string): number[] {
    if (word.length > MAX_WORD_CHARS) return [this.unknown];
    const out: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (end > start) {
        const piece = (start > 0 ? '##' : '') + word.slice(start, end);
        found = this.ids.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unknown];
      out.push(found);
      start = end;
    }
    return out;
  }
}
