// The code of src/domain/code-links.ts as it was before the bulk import's fast paths (commit c7e7785): the
// oracle that fast-paths.test.ts compares the faster code with, output for output. Tests only.
import type { CodeLinkKind } from '../record.ts';

/**
 * Links to code and project pages, found in abstracts and normalized so that one repository
 * written five ways is one link.
 *
 * Abstracts break URLs in the ways PDF extraction and typing do: a space after a hyphen at a
 * line break (`efficient- NLP-multistage-training`), spaces everywhere
 * (`https:// github. com/ Labbe ti/ SSLH`), `https;//`, sentence punctuation glued to the end,
 * `.git`, trailing `/`, `http://`, `www.`, and sub-paths (`/tree/main/...`). A repair is made
 * only where the pieces can be told apart with confidence; what cannot be read is kept as
 * `unrepairable` with the text as found. arXiv's listing text "this https URL" (the link
 * removed) carries nothing to recover and is not reported.
 */

export interface ExtractedLink {
  /** Canonical URL: `https://github.com/owner/repo`, `https://git.io/fjsvE`, `https://labelerrors.com`. */
  url: string;
  kind: CodeLinkKind;
  status: 'ok' | 'repaired' | 'unrepairable';
  /** The link as it stands in the text, inner spaces included, sentence punctuation excluded. */
  raw: string;
}

/** Hosts where `owner/repo` names a repository (GitHub owners and repos are case-insensitive). */
const REPO_HOSTS = new Set([
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'codeberg.org',
  'gitee.com',
  'git.sr.ht',
]);
const SHORT_HOSTS = new Set([
  'git.io',
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  't.co',
  'tiny.cc',
  'rb.gy',
  'is.gd',
  'ow.ly',
  'buff.ly',
  'shorturl.at',
]);
/** Links to papers and identifiers, not to code or project pages. */
const NOT_CODE_HOSTS = new Set(['arxiv.org', 'export.arxiv.org', 'doi.org', 'dx.doi.org', 'orcid.org']);
/** First path segments on GitHub that are site pages, not owners. */
const GITHUB_RESERVED = new Set([
  'about',
  'apps',
  'collections',
  'enterprise',
  'explore',
  'features',
  'issues',
  'login',
  'marketplace',
  'notifications',
  'orgs',
  'pricing',
  'pulls',
  'search',
  'settings',
  'sponsors',
  'topics',
  'trending',
  'users',
]);
const HF_SITE_PAGES = new Set([
  'papers',
  'docs',
  'blog',
  'learn',
  'tasks',
  'collections',
  'join',
  'pricing',
  'models',
]);

const KNOWN_BARE_HOSTS = [...REPO_HOSTS, ...SHORT_HOSTS, 'huggingface.co'].map((h) =>
  h.replace(/\./g, '\\.'),
);
/**
 * A link starts at a scheme (spaces and `;` for `:` tolerated) or at a known host written
 * without one (`github.com/owner/repo`, `owner.github.io/page`).
 */
const START = new RegExp(
  `\\bhttps?[ \\t]?[:;][ \\t]*\\/[ \\t]?\\/[ \\t]*|(?<![\\w@./-])(?=(?:www\\.)?(?:${KNOWN_BARE_HOSTS.join('|')})\\/|[\\w-]+\\.github\\.io\\b)`,
  'gi',
);

const HOST_CHAR = /[A-Za-z0-9.-]/;
const PATH_CHAR = /[^\s<>"'{}|\\^`[\]]/;
const TRAILING_PUNCT = /[.,;:!?'"*]$/;

interface Scan {
  raw: string;
  host: string;
  path: string;
  end: number;
  broken: boolean;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function skipSpaces(text: string, i: number): number {
  let j = i;
  while (j < text.length && isSpace(text[j])) j++;
  return j;
}

function readWhile(text: string, i: number, re: RegExp): number {
  let j = i;
  while (j < text.length && re.test(text[j]!)) j++;
  return j;
}

function pathSegments(path: string): string[] {
  return path
    .split(/[?#]/)[0]!
    .split('/')
    .filter((s) => s.length > 0);
}

/** How many path segments make a whole repository name on this host (0: not a repository host). */
function segmentsNeeded(host: string, path: string): number {
  if (REPO_HOSTS.has(host)) return 2;
  if (host === 'huggingface.co') return /^\/?(?:datasets|spaces)\//.test(path) ? 3 : 2;
  return 0;
}

function bareHost(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

/** Read one link from `start` (just past the scheme, or at a bare host). */
function scanLink(text: string, start: number, schemeText: string): Scan {
  let broken = /\s|;/.test(schemeText);
  const i = skipSpaces(text, start);
  if (i > start) broken = true;
  let hostEnd = readWhile(text, i, HOST_CHAR);
  let host = text.slice(i, hostEnd);
  // `github. com/`: a space after the dot before a top-level domain.
  while (host.endsWith('.')) {
    const next = skipSpaces(text, hostEnd);
    const tldEnd = readWhile(text, next, /[A-Za-z]/);
    if (next === hostEnd || tldEnd - next < 2 || (tldEnd < text.length && !/[/\s.,;)]/.test(text[tldEnd]!)))
      break;
    host += text.slice(next, tldEnd);
    hostEnd = tldEnd;
    broken = true;
  }
  if (!host.includes('.')) {
    // `https://` followed by no host: only the scheme is the link as found.
    return { raw: schemeText.trim(), host: '', path: '', end: start, broken };
  }
  let end = hostEnd;
  let path = '';
  const host0 = bareHost(host.replace(/\.$/, ''));
  if (text[end] === '/' || (broken && text[skipSpaces(text, end)] === '/' && host0.includes('.'))) {
    if (text[end] !== '/') end = skipSpaces(text, end);
    for (;;) {
      // LaTeX escapes inside URLs: `ATC\_code`.
      if (text[end] === '\\' && /[_%#&~]/.test(text[end + 1] ?? '')) {
        path += text[end + 1];
        end += 2;
        continue;
      }
      if (end < text.length && PATH_CHAR.test(text[end]!)) {
        path += text[end];
        end++;
        continue;
      }
      if (!isSpace(text[end])) break;
      const next = skipSpaces(text, end);
      const nextChar = text[next] ?? '';
      if (!/[A-Za-z0-9_~]/.test(nextChar)) break;
      const need = segmentsNeeded(host0, path);
      const have = pathSegments(path).length;
      const nextToken = text.slice(next, readWhile(text, next, PATH_CHAR));
      const hyphenBreak = /[-_]$/.test(path) && have > 0;
      const incomplete =
        broken && need > 0 && have < need && (path.endsWith('/') ? have < need : nextToken.includes('/'));
      if (!hyphenBreak && !incomplete) break;
      broken = true;
      end = next;
    }
  }
  let raw = text.slice(start - schemeText.length, end);
  while (TRAILING_PUNCT.test(raw) || (/[)\]]$/.test(raw) && unbalanced(raw))) {
    raw = raw.slice(0, -1);
    if (path) path = path.slice(0, -1);
    else host = host.slice(0, -1);
  }
  return { raw: raw.trim(), host: bareHost(host), path, end, broken };
}

function unbalanced(raw: string): boolean {
  const close = raw.endsWith(')') ? ')' : ']';
  const open = close === ')' ? '(' : '[';
  let depth = 0;
  for (const ch of raw) {
    if (ch === open) depth++;
    else if (ch === close) depth--;
  }
  return depth < 0;
}

function canonical(host: string, path: string): { url: string; kind: CodeLinkKind } | undefined | 'unusable' {
  if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(host)) return 'unusable';
  if (NOT_CODE_HOSTS.has(host) || host.endsWith('.arxiv.org')) return undefined;
  const segments = pathSegments(path);
  if (REPO_HOSTS.has(host)) {
    if (segments.length === 0) return 'unusable';
    if (host === 'github.com' && GITHUB_RESERVED.has(segments[0]!.toLowerCase())) {
      return { url: `https://${host}/${segments.join('/')}`, kind: 'project-page' };
    }
    if (segments.length === 1) return { url: `https://${host}/${segments[0]}`, kind: 'project-page' };
    const dash = segments.indexOf('-');
    const repoPath = host === 'gitlab.com' && dash > 1 ? segments.slice(0, dash) : segments.slice(0, 2);
    const last = repoPath.length - 1;
    repoPath[last] = repoPath[last]!.replace(/\.git$/i, '');
    if (!repoPath[last]) return 'unusable';
    return { url: `https://${host}/${repoPath.join('/')}`, kind: 'repository' };
  }
  if (host === 'huggingface.co') {
    const first = segments[0]?.toLowerCase();
    const size = first === 'datasets' || first === 'spaces' ? 3 : 2;
    if (segments.length >= size && first && !HF_SITE_PAGES.has(first)) {
      return { url: `https://${host}/${segments.slice(0, size).join('/')}`, kind: 'repository' };
    }
  }
  const rest = path.replace(/#.*$/, '').replace(/\/+$/, '');
  if (SHORT_HOSTS.has(host)) {
    if (!rest) return 'unusable';
    return { url: `https://${host}${rest}`, kind: 'short-link' };
  }
  return { url: `https://${host}${rest}`, kind: 'project-page' };
}

function dedupeKey(link: ExtractedLink): string {
  if (link.status === 'unrepairable') return `raw:${link.raw}`;
  return link.kind === 'short-link' ? link.url : link.url.toLowerCase();
}

/** Every code, project-page and short link in a text, one per canonical URL, in order of appearance. */
export function extractCodeLinks(text: string): ExtractedLink[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found = new Map<string, ExtractedLink>();
  START.lastIndex = 0;
  let match = START.exec(text);
  while (match) {
    const scan = scanLink(text, match.index + match[0].length, match[0]);
    const result = canonical(scan.host, scan.path);
    let link: ExtractedLink | undefined;
    if (result === 'unusable')
      link = { url: scan.raw, kind: 'project-page', status: 'unrepairable', raw: scan.raw };
    else if (result) link = { ...result, status: scan.broken ? 'repaired' : 'ok', raw: scan.raw };
    if (link?.raw) {
      const key = dedupeKey(link);
      const seen = found.get(key);
      if (!seen || (seen.status === 'repaired' && link.status === 'ok')) found.set(key, link);
    }
    START.lastIndex = Math.max(scan.end, match.index + match[0].length, START.lastIndex + 1);
    match = START.exec(text);
  }
  return [...found.values()];
}

/**
 * Normalize a URL that a source gives in a dedicated field (Hugging Face `githubRepo`,
 * Papers with Code `repo_url`): the same canonical form as links found in text. Also reads
 * `git@github.com:owner/repo.git`. Undefined when it is not a usable link.
 */
export function normalizeCodeUrl(url: string): { url: string; kind: CodeLinkKind } | undefined {
  if (typeof url !== 'string') return undefined;
  let text = url.trim();
  const ssh = /^git@([\w.-]+):(.+)$/.exec(text);
  if (ssh) text = `https://${ssh[1]}/${ssh[2]}`;
  else if (!/^https?:/i.test(text) && /^[\w-]+(?:\.[\w-]+)+(?:\/|$)/.test(text)) text = `https://${text}`;
  const links = extractCodeLinks(text);
  const first = links[0];
  if (!first || first.status === 'unrepairable') return undefined;
  return { url: first.url, kind: first.kind };
}
