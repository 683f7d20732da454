import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordPiece } from './wordpiece.ts';

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'quantum',
  'entangle',
  '##ment',
  '##s',
  'un',
  '##known',
  ',',
  'ef',
];

describe('WordPiece', () => {
  const tokenizer = new WordPiece(VOCAB);

  it('cuts words into the longest pieces, folds case and accents, marks unknown words', () => {
    expect(tokenizer.encode('Quantum entanglements, unknown ÉF zzz')).toEqual([
      2, 4, 5, 6, 7, 10, 8, 9, 11, 1, 3,
    ]);
  });

  it('keeps [CLS] and [SEP] within the longest sequence', () => {
    const short = new WordPiece(VOCAB, { maxTokens: 4 });
    expect(short.encode('quantum quantum quantum quantum')).toEqual([2, 4, 4, 3]);
  });

  it('turns any text into ids of the vocabulary, framed by [CLS] and [SEP]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const ids = tokenizer.encode(text);
        expect(ids[0]).toBe(2);
        expect(ids[ids.length - 1]).toBe(3);
        expect(ids.length).toBeLessThanOrEqual(256);
        for (const id of ids) expect(id >= 0 && id < VOCAB.length).toBe(true);
      }),
    );
  });

  it('refuses a vocabulary without [UNK], naming it', () => {
    expect(() => WordPiece.fromText('a\nb', {}, '/models/vocab.txt')).toThrow(
      '/models/vocab.txt: no [UNK] token',
    );
  });
});
