import { describe, expect, it } from 'vitest';
import { initialKey, nameKey, personFromDisplay } from '../domain/names.ts';
import type { AuthorPin } from '../store/port.ts';
import { pinnedAuthor } from './resolve-authors.ts';

function pinOf(display: string, authorId: number): AuthorPin {
  const name = personFromDisplay(display);
  return { nameKey: nameKey(name), initialKey: initialKey(name), name, authorId };
}

describe('pinnedAuthor (an admin’s merge or split, applied when a paper is linked again)', () => {
  const pins = [pinOf('Lechao Xiao', 7), pinOf('Richard Roe', 9)];

  it('finds the pin of the same name in any spelling', () => {
    expect(pinnedAuthor(pins, personFromDisplay('Xiao, Lechao'))).toBe(7);
    expect(pinnedAuthor(pins, personFromDisplay('Roe, Richard'))).toBe(9);
  });

  it('takes another source’s initials for the one compatible pin, and nothing else', () => {
    expect(pinnedAuthor(pins, personFromDisplay('Xiao, L.'))).toBe(7);
    expect(pinnedAuthor(pins, personFromDisplay('Lei Xiao'))).toBeUndefined();
    expect(pinnedAuthor(pins, personFromDisplay('Jane Doe'))).toBeUndefined();
    expect(pinnedAuthor([], personFromDisplay('Lechao Xiao'))).toBeUndefined();
    // Two pins the initials could stand for: not a decision the admin made, so none.
    expect(pinnedAuthor([...pins, pinOf('Lei Xiao', 11)], personFromDisplay('L. Xiao'))).toBeUndefined();
  });

  it('reads a two-word family from the pinned name, not from its key', () => {
    const pin = pinOf('Sohl-Dickstein, Jascha', 5);
    expect(pinnedAuthor([pin], personFromDisplay('J. Sohl-Dickstein'))).toBe(5);
  });
});
