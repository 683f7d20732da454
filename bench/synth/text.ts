import type { Corpus } from './corpus.ts';
import { AliasSampler, type Rng } from './prng.ts';

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'via',
  'with',
]);

/**
 * Titles and abstracts drawn word by word from the corpus vocabulary (a unigram model, so word
 * frequencies are the real Zipf-like ones), with real lengths, real sentence lengths and real
 * `$…$` math. A few hyphenated compounds of two seen words make the vocabulary keep growing
 * with the corpus size, as a real full-text index's does.
 */
export class TextMaker {
  private readonly words: AliasSampler<string>;
  private readonly titleWords: AliasSampler<string>;

  constructor(private readonly corpus: Corpus) {
    this.words = AliasSampler.fromCounts(corpus.words);
    this.titleWords = AliasSampler.fromCounts(corpus.titleWords);
  }

  title(rng: Rng): string {
    const n = Math.max(2, rng.pick(this.corpus.titleLengths) + rng.between(-1, 1));
    const titleCase = rng.chance(0.45);
    const colonAt = rng.chance(0.12) ? rng.between(1, Math.min(3, n - 1)) : -1;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = this.titleWords.draw(rng);
      if (i === 0 || (titleCase && !SMALL_WORDS.has(w))) w = capitalize(w);
      out.push(i === colonAt - 1 ? `${w}:` : w);
    }
    return out.join(' ');
  }

  abstract(rng: Rng): string {
    const target = Math.max(
      20,
      Math.round(rng.pick(this.corpus.abstractLengths) * (0.85 + rng.next() * 0.3)),
    );
    const sentences: string[] = [];
    let written = 0;
    while (written < target) {
      const len = Math.max(4, Math.min(rng.pick(this.corpus.sentenceLengths), target - written + 4));
      sentences.push(this.sentence(rng, len));
      written += len;
    }
    return sentences.join(' ');
  }

  private sentence(rng: Rng, len: number): string {
    const parts: string[] = [];
    for (let i = 0; i < len; i++) {
      let w = this.words.draw(rng);
      if (w.length > 3 && rng.chance(0.02)) w = compound(w, this.words.draw(rng));
      if (i === 0) w = capitalize(w);
      if (i < len - 1 && rng.chance(0.07)) w += ',';
      parts.push(w);
    }
    if (this.corpus.math.length > 0 && rng.chance(0.15)) {
      parts.splice(rng.between(1, parts.length), 0, rng.pick(this.corpus.math));
    }
    return `${parts.join(' ')}.`;
  }
}

/** `graph-transformer`, never `a-the`: short function words do not form compounds. */
function compound(a: string, b: string): string {
  return b.length > 3 ? `${a}-${b}` : a;
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * Greedy wrap the way the bulk snapshot does: lines of at most `width` characters joined by
 * `joiner` (`\n` in abstracts, `\n  ` in titles and author lists).
 */
export function wrap(text: string, width: number, joiner: string): string {
  if (text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join(joiner);
}
