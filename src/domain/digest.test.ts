import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composeDigest,
  type DigestInput,
  type DigestItem,
  digestSubject,
  escapeHtml,
  isDigestDue,
  isValidTimeZone,
  localTime,
  paperUrl,
  reasonText,
  signUnsubscribe,
  verifyUnsubscribe,
} from './digest.ts';

const item = (
  id: number,
  title: string,
  section: DigestItem['section'],
  reason: DigestItem['reason'],
): DigestItem => ({
  paper: { id, title, authors: ['Lechao Xiao', 'Jeffrey Pennington'], summary: `Summary of ${title}.` },
  section,
  reason,
});

const input: DigestInput = {
  recipientName: 'Ana',
  day: '2026-11-24',
  baseUrl: 'https://papers.example.org',
  unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe?token=1.abc',
  items: [
    item(3, 'Trending Thing', 'trending', { kind: 'trending', upvotes: 42 }),
    item(1, 'Wide Networks', 'follows', { kind: 'author', name: 'Lechao Xiao' }),
    item(2, 'Kernels <Again>', 'follows', { kind: 'search', query: 'kernel regression' }),
    {
      ...item(4, 'Similar One', 'recommended', { kind: 'saved', seedTitle: 'Eigenspace Restructuring' }),
      paper: { id: 4, title: 'Similar One', authors: [], arxivId: '2401.01234' },
    },
  ],
};

describe('reasons', () => {
  it('say why each paper is there, in words', () => {
    expect(reasonText({ kind: 'author', name: 'Lechao Xiao' })).toBe('new paper by Lechao Xiao');
    expect(reasonText({ kind: 'search', query: 'kernel regression' })).toBe(
      'matches your search `kernel regression`',
    );
    expect(reasonText({ kind: 'category', category: 'cs.LG' })).toBe('new in cs.LG');
    expect(reasonText({ kind: 'saved', seedTitle: 'X' })).toBe('similar to “X”, which you saved');
    expect(reasonText({ kind: 'tagged', seedTitle: 'X', tag: 'ntk' })).toBe(
      'similar to “X”, which you tagged ntk',
    );
    expect(reasonText({ kind: 'trending', upvotes: 7 })).toBe('trending: 7 upvotes on Hugging Face');
    expect(reasonText({ kind: 'trending' })).toBe('trending');
  });
});

describe('composing a digest', () => {
  const { subject, text, html } = composeDigest(input);

  it('names the day, the count and the first paper shown in the subject', () => {
    expect(subject).toBe('Paperscope digest for 2026-11-24 — 4 papers: Trending Thing');
    expect(digestSubject({ day: '2026-11-25', items: input.items.slice(0, 1) })).toBe(
      'Paperscope digest for 2026-11-25 — 1 paper: Trending Thing',
    );
  });

  it('groups the text part by section, follows first, with reasons and links back', () => {
    const follows = text.indexOf('New from what you follow');
    const recommended = text.indexOf('Recommended from your library');
    const trending = text.indexOf('Trending\n========');
    expect(follows).toBeGreaterThan(0);
    expect(recommended).toBeGreaterThan(follows);
    expect(trending).toBeGreaterThan(recommended);
    expect(text).toContain(
      '* Wide Networks\n  Lechao Xiao, Jeffrey Pennington\n  Why: new paper by Lechao Xiao\n  Summary of Wide Networks.\n  https://papers.example.org/paper/1\n',
    );
    expect(text).toContain('https://papers.example.org/paper/2401.01234');
    expect(text).toContain('Stop these emails: https://papers.example.org/digest/unsubscribe?token=1.abc');
  });

  it('escapes what sources wrote in the HTML part, and links every paper', () => {
    expect(html).toContain('<strong>Kernels &lt;Again&gt;</strong>');
    expect(html).not.toContain('<Again>');
    expect(html).toContain('matches your search <code>kernel regression</code>');
    expect(html).toContain('href="https://papers.example.org/paper/1"');
    expect(html).toContain('href="https://papers.example.org/digest/unsubscribe?token=1.abc"');
  });

  it('keeps any text inert in the HTML part (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (title, author, query) => {
        const { html: out } = composeDigest({
          ...input,
          recipientName: author,
          items: [
            {
              paper: { id: 9, title, authors: [author], summary: query },
              section: 'follows',
              reason: { kind: 'search', query },
            },
          ],
        });
        // Every tag in the output is one the composer wrote.
        const tags = new Set(
          [...out.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => (m[1] as string).toLowerCase()),
        );
        for (const tag of tags) {
          expect([
            '!doctype',
            'html',
            'head',
            'meta',
            'title',
            'body',
            'p',
            'h2',
            'ul',
            'li',
            'a',
            'strong',
            'br',
            'em',
            'code',
            'hr',
          ]).toContain(tag);
        }
      }),
    );
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('builds paper links by arXiv id when there is one', () => {
    expect(paperUrl('http://h', { id: 5 })).toBe('http://h/paper/5');
    expect(paperUrl('http://h', { id: 5, arxivId: 'hep-th/9901001' })).toBe(
      'http://h/paper/hep-th%2F9901001',
    );
  });
});

describe('when a digest is due', () => {
  it('reads the day and hour in the person’s time zone', () => {
    const at = new Date('2026-11-24T23:30:00Z');
    expect(localTime(at, 'UTC')).toEqual({ day: '2026-11-24', hour: 23 });
    expect(localTime(at, 'Europe/Paris')).toEqual({ day: '2026-11-25', hour: 0 });
    expect(localTime(at, 'America/Los_Angeles')).toEqual({ day: '2026-11-24', hour: 15 });
    expect(localTime(new Date('2026-11-24T00:00:00Z'), 'Asia/Kolkata')).toEqual({
      day: '2026-11-24',
      hour: 5,
    });
  });

  it('is due from the send hour on, that local day', () => {
    const morning = new Date('2026-11-24T06:59:00Z');
    expect(isDigestDue(morning, 7, 'UTC')).toBe(false);
    expect(isDigestDue(new Date('2026-11-24T07:00:00Z'), 7, 'UTC')).toBe(true);
    expect(isDigestDue(morning, 7, 'Europe/Paris')).toBe(true); // 07:59 there
    expect(isDigestDue(morning, 7, 'America/New_York')).toBe(false); // 01:59 there
  });

  it('knows real time zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('unsubscribe tokens', () => {
  const secret = 'a'.repeat(64);

  it('come back to the user they were signed for', () => {
    const token = signUnsubscribe(secret, 42);
    expect(token).toMatch(/^42\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribe(secret, token)).toBe(42);
  });

  it('refuse another secret, another user and any change', () => {
    const token = signUnsubscribe(secret, 42);
    expect(verifyUnsubscribe('b'.repeat(64), token)).toBeUndefined();
    expect(verifyUnsubscribe(secret, token.replace(/^42\./, '43.'))).toBeUndefined();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyUnsubscribe(secret, token.slice(0, -1) + last)).toBeUndefined();
  });

  it('turn any garbage into "no one" (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (garbage) => {
        expect(verifyUnsubscribe(secret, garbage)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.string({ minLength: 43, maxLength: 43 }), (id, sig) => {
        const forged = `${id}.${sig}`;
        fc.pre(forged !== signUnsubscribe(secret, id));
        expect(verifyUnsubscribe(secret, forged)).toBeUndefined();
      }),
    );
  });
});
