import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture, SEED_FILES, seedPath } from '../../test/shared.ts';
import { abstractKey, matchKey, titleKey, toPlainText } from './text.ts';

describe('toPlainText', () => {
  it('reads the LaTeX of real arXiv abstracts (seed 000)', () => {
    const lines = readFileSync(seedPath(SEED_FILES.arxivListing), 'utf8').split('\n');
    expect(toPlainText(lines[0]!)).toContain('hallucinating on ≤5% of the training data requires');
    expect(toPlainText(lines[0]!).startsWith('While many capabilities')).toBe(true);
    const rest = toPlainText(lines[2]!);
    expect(rest).toContain('Fine-tuning language models (LMs) on human-generated data');
    expect(rest).toContain('which we call ReSTEM, where');
    expect(rest).not.toMatch(/[$~{}\\]/);
  });

  it('keeps math readable', () => {
    expect(toPlainText('defined as $\\Theta_\\theta^f(x_1, x_2) = \\left[\\partial f\\right]$, has')).toBe(
      'defined as Θθf(x₁, x₂) = [∂ f], has',
    );
    expect(toPlainText('in $O(n^{2})$ time with $x^{-1}$ and $\\frac{a}{b}$')).toBe(
      'in O(n²) time with x⁻¹ and a/b',
    );
    expect(toPlainText('costs \\$5 and $\\alpha \\approx 0.1$')).toBe('costs $5 and α ≈ 0.1');
  });

  it('unwraps text commands, drops citations, converts quotes, dashes and accents', () => {
    expect(
      toPlainText(
        "\\emph{Deep} \\textbf{nets \\textit{work}} as shown~\\cite{a,b}. 50\\% -- ``so'' \\alpha---Schr\\\"odinger {\\em x}",
      ),
    ).toBe('Deep nets work as shown. 50% – “so” α—Schrödinger x');
    expect(toPlainText('as in~\\citep[p.~3]{smith}. See \\cite{a}')).toBe('as in. See');
  });

  it('keeps a tilde that means "about"', () => {
    expect(toPlainText('runs ~5% faster')).toBe('runs ~5% faster');
    expect(toPlainText('models~(LMs)')).toBe('models (LMs)');
  });

  it('decodes HTML entities and removes tags', () => {
    expect(
      toPlainText('<p>A &amp; B &lt; C &#39;x&#39; &quot;y&quot; &#x3B1; <i>it</i></p><p>Second</p>'),
    ).toBe('A & B < C \'x\' "y" α it\n\nSecond');
    expect(toPlainText('a<b and c>d')).toBe('a<b and c>d');
    expect(toPlainText('&amp;lt; stays &lt;')).toBe('&lt; stays <');
  });

  it('joins hard line wraps, keeps paragraphs, drops the label and a trailing Comment block', () => {
    expect(
      toPlainText(
        'Abstract: Line one wraps\n  here and\ncontinues.\n \nNew para.\nComments: 10 pages, 3 figures\n',
      ),
    ).toBe('Line one wraps here and continues.\n\nNew para.');
  });

  it('reads the hard-wrapped LaTeX abstracts of the unarXive bulk sample', () => {
    const abstracts = readFixture('arxiv-bulk', 'unarxive-sample-metadata.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).abstract as string);
    expect(abstracts).toHaveLength(49);
    for (const abstract of abstracts) {
      const plain = toPlainText(abstract);
      expect(plain).not.toMatch(/[^\n]\n[^\n]/);
      expect(plain).not.toMatch(/[$\\{}]/);
      expect(plain).toBe(plain.trim());
    }
    expect(toPlainText(abstracts[0]!)).toContain(
      'Let X₁,X₂,… be independent and identically distributed random variables in C',
    );
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        expect(typeof toPlainText(s)).toBe('string');
      }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            '$',
            '\\',
            '{',
            '}',
            '^',
            '_',
            '~',
            '&',
            '#',
            ';',
            '<',
            'p',
            '>',
            'emph',
            ' ',
            '\n',
            'a',
          ),
        ),
        (parts) => {
          expect(typeof toPlainText(parts.join(''))).toBe('string');
        },
      ),
    );
  });

  it('finishes on a 5 MB random string', () => {
    const pieces = [
      '$',
      '\\',
      '{',
      '}',
      '^',
      '_',
      '~',
      '&#',
      '<p ',
      '\\cite[',
      ' ',
      '  ',
      '\n',
      'word',
      '--',
      "''",
    ];
    let seed = 7;
    const out: string[] = [];
    let size = 0;
    while (size < 5_000_000) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const piece = pieces[seed % pieces.length]!;
      out.push(piece);
      size += piece.length;
    }
    expect(toPlainText(out.join('')).length).toBeGreaterThan(100_000);
  });
});

describe('matchKey, titleKey, abstractKey', () => {
  it('folds case, diacritics, LaTeX and punctuation', () => {
    expect(matchKey('Schr\\"odinger’s  Équation: ReST$^{EM}$ -- ﬁne')).toBe(
      'schrodinger s equation restem fine',
    );
    expect(titleKey('Beyond Human Data: Scaling Self-Training')).toBe(
      'beyond human data scaling self training',
    );
  });

  it('matches the same abstract from the arXiv listing and CatalyzeX seeds', () => {
    const listing = readFileSync(seedPath(SEED_FILES.arxivListing), 'utf8').split('\n')[2]!;
    const catalyzex = readFileSync(seedPath(SEED_FILES.catalyzex), 'utf8').split('\n')[4]!;
    const a = abstractKey(listing);
    expect(a).toBeDefined();
    expect(a!.split(' ')).toHaveLength(40);
    expect(a!.startsWith('fine tuning language models lms on human generated data')).toBe(true);
    expect(abstractKey(catalyzex)).toBe(a);
  });

  it('gives no abstract key for short text', () => {
    expect(abstractKey('Too short to tell papers apart.')).toBeUndefined();
    expect(abstractKey('')).toBeUndefined();
    expect(abstractKey('one two three four five six seven eight nine ten eleven twelve')).toBe(
      'one two three four five six seven eight nine ten eleven twelve',
    );
  });
});

describe('abstractKey on long text', () => {
  it('reads only the opening words and agrees with the short form', () => {
    const opening = readFileSync(seedPath(SEED_FILES.arxivListing), 'utf8').split('\n')[1]!;
    const long = `${opening} ${'filler $x^2$ \\emph{word} '.repeat(200_000)}`;
    expect(abstractKey(long)).toBe(abstractKey(opening));
    expect(abstractKey(`${'a '.repeat(3000)}${'b '.repeat(100)}`)).toBe(Array(40).fill('a').join(' '));
  });
});
