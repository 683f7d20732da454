import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The daily digest as pure functions: which day it is for a person, whether their digest is
 * due, what each paper's reason reads like, the email's subject and both its parts, and the
 * signed unsubscribe token. No IO: the digest service gathers the papers and sends.
 */

export type FollowKind = 'author' | 'search' | 'category' | 'tag';
export const FOLLOW_KINDS: readonly FollowKind[] = ['author', 'search', 'category', 'tag'];

export type DigestSection = 'follows' | 'recommended' | 'trending';

/** Why a paper is in someone's digest, as data; `reasonText` says it in words. */
export type DigestReason =
  | { kind: 'author'; name: string }
  | { kind: 'search'; query: string }
  | { kind: 'category'; category: string }
  | { kind: 'saved'; seedTitle: string }
  | { kind: 'tagged'; seedTitle: string; tag: string }
  | { kind: 'trending'; upvotes?: number; detail?: string };

export interface DigestPaper {
  id: number;
  title: string;
  authors: string[];
  arxivId?: string;
  published?: string;
  /** One or two sentences: the TLDR when a source gave one, else the abstract's opening. */
  summary?: string;
}

export interface DigestItem {
  paper: DigestPaper;
  section: DigestSection;
  reason: DigestReason;
}

export interface DigestInput {
  recipientName: string;
  /** The person's local day, `YYYY-MM-DD`. */
  day: string;
  items: readonly DigestItem[];
  /** The instance, without a trailing slash: every link points back to it. */
  baseUrl: string;
  unsubscribeUrl: string;
}

export interface ComposedDigest {
  subject: string;
  text: string;
  html: string;
}

export const SECTION_TITLES: Record<DigestSection, string> = {
  follows: 'New from what you follow',
  recommended: 'Recommended from your library',
  trending: 'Trending',
};

export function reasonText(reason: DigestReason): string {
  switch (reason.kind) {
    case 'author':
      return `new paper by ${reason.name}`;
    case 'search':
      return `matches your search \`${reason.query}\``;
    case 'category':
      return `new in ${reason.category}`;
    case 'saved':
      return `similar to “${reason.seedTitle}”, which you saved`;
    case 'tagged':
      return `similar to “${reason.seedTitle}”, which you tagged ${reason.tag}`;
    case 'trending':
      return (
        reason.detail ?? (reason.upvotes ? `trending: ${reason.upvotes} upvotes on Hugging Face` : 'trending')
      );
  }
}

/** The paper's page, by arXiv id when it has one (as the site links it). */
export function paperUrl(baseUrl: string, paper: Pick<DigestPaper, 'id' | 'arxivId'>): string {
  return `${baseUrl}/paper/${paper.arxivId ? encodeURIComponent(paper.arxivId) : paper.id}`;
}

export function digestSubject(input: Pick<DigestInput, 'day' | 'items'>): string {
  const n = input.items.length;
  const first = input.items[0];
  const lead = first ? `: ${shorten(first.paper.title, 60)}` : '';
  return `Paperscope digest for ${input.day} — ${n} paper${n === 1 ? '' : 's'}${lead}`;
}

/** Items grouped by section, in the order sections are shown, empty sections left out. */
export function sections(items: readonly DigestItem[]): { section: DigestSection; items: DigestItem[] }[] {
  return (['follows', 'recommended', 'trending'] as const)
    .map((section) => ({ section, items: items.filter((i) => i.section === section) }))
    .filter((s) => s.items.length > 0);
}

export function composeDigestText(input: DigestInput): string {
  const lines: string[] = [`Hello ${input.recipientName},`, '', `Your Paperscope digest for ${input.day}.`];
  for (const { section, items } of sections(input.items)) {
    lines.push('', SECTION_TITLES[section], '='.repeat(SECTION_TITLES[section].length));
    for (const item of items) {
      lines.push('', `* ${item.paper.title}`);
      if (item.paper.authors.length) lines.push(`  ${authorLine(item.paper.authors)}`);
      lines.push(`  Why: ${reasonText(item.reason)}`);
      if (item.paper.summary) lines.push(`  ${shorten(item.paper.summary, 300)}`);
      lines.push(`  ${paperUrl(input.baseUrl, item.paper)}`);
    }
  }
  lines.push(
    '',
    '--',
    `What you follow: ${input.baseUrl}/account/follows`,
    `Stop these emails: ${input.unsubscribeUrl}`,
    '',
  );
  return lines.join('\n');
}

export function composeDigestHtml(input: DigestInput): string {
  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(digestSubject(input))}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 0 auto; line-height: 1.45; color: #1d1d1f">',
    `<p>Hello ${escapeHtml(input.recipientName)},</p>`,
    `<p>Your Paperscope digest for ${escapeHtml(input.day)}.</p>`,
  ];
  for (const { section, items } of sections(input.items)) {
    parts.push(
      `<h2 style="font-size: 1.15em; margin-top: 1.6em">${escapeHtml(SECTION_TITLES[section])}</h2>`,
      '<ul>',
    );
    for (const item of items) {
      parts.push(
        '<li style="margin-bottom: 1em">',
        `<a href="${escapeHtml(paperUrl(input.baseUrl, item.paper))}"><strong>${escapeHtml(item.paper.title)}</strong></a>`,
        item.paper.authors.length ? `<br>${escapeHtml(authorLine(item.paper.authors))}` : '',
        `<br><em>Why: ${reasonHtml(item.reason)}</em>`,
        item.paper.summary ? `<br>${escapeHtml(shorten(item.paper.summary, 300))}` : '',
        '</li>',
      );
    }
    parts.push('</ul>');
  }
  parts.push(
    '<hr>',
    `<p style="font-size: 0.9em"><a href="${escapeHtml(input.baseUrl)}/account/follows">What you follow</a> · `,
    `<a href="${escapeHtml(input.unsubscribeUrl)}">Stop these emails</a></p>`,
    '</body></html>',
  );
  return parts.join('');
}

export function composeDigest(input: DigestInput): ComposedDigest {
  return { subject: digestSubject(input), text: composeDigestText(input), html: composeDigestHtml(input) };
}

function reasonHtml(reason: DigestReason): string {
  if (reason.kind === 'search') return `matches your search <code>${escapeHtml(reason.query)}</code>`;
  return escapeHtml(reasonText(reason));
}

function authorLine(authors: readonly string[]): string {
  return authors.length > 6
    ? `${authors.slice(0, 5).join(', ')} and ${authors.length - 5} others`
    : authors.join(', ');
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// ---- when ---------------------------------------------------------------------------------

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day and hour at `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): { day: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts['year']}-${parts['month']}-${parts['day']}`, hour: Number(parts['hour']) };
}

/**
 * A digest is due once the person's local clock has reached their send hour that day: a run
 * that starts late (the server was down at 7:00) still sends the day's digest, once.
 */
export function isDigestDue(instant: Date, sendHour: number, timeZone: string): boolean {
  return localTime(instant, timeZone).hour >= sendHour;
}

// ---- unsubscribe --------------------------------------------------------------------------

/** `userId.signature`: whoever holds the link may stop that person's digests, and nothing else. */
export function signUnsubscribe(secret: string, userId: number): string {
  return `${userId}.${unsubscribeMac(secret, userId)}`;
}

/** The user id a token was signed for, or undefined for anything forged, altered or malformed. */
export function verifyUnsubscribe(secret: string, token: string): number | undefined {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const userId = Number(match[1]);
  const expected = Buffer.from(unsubscribeMac(secret, userId));
  const given = Buffer.from(match[2] as string);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : undefined;
}

function unsubscribeMac(secret: string, userId: number): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}`).digest('base64url');
}
