import type { Paper } from '../domain/paper.ts';
import type { ImportSummary } from '../services/import.service.ts';
import type { AuthorProfile } from '../store/port.ts';

/** Human-readable renderings for the terminal. */

export function formatSummary(s: ImportSummary): string {
  const lines = [
    `${s.origin}${s.format ? ` (${s.format})` : ''}: read ${s.read}, new ${s.new}, merged ${s.merged}, ` +
      `updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}`,
  ];
  const shown = s.problems.slice(0, 20);
  for (const p of shown) lines.push(`  ! ${p.origin}: ${p.locator}: ${p.message} [${p.source}]`);
  if (s.problems.length > shown.length)
    lines.push(`  … and ${s.problems.length - shown.length} more problems`);
  return lines.join('\n');
}

export function paperLine(p: Paper): string {
  const id = p.ids.arxiv ? `arXiv:${p.ids.arxiv}` : p.ids.doi ? `doi:${p.ids.doi}` : `#${p.id}`;
  const authors = p.authors.length
    ? p.authors
        .map((a) => a.name.display)
        .slice(0, 3)
        .join(', ')
    : '(authors unknown)';
  const more = p.authors.length > 3 ? ` +${p.authors.length - 3}` : '';
  // A partial paper without a title is recognisable by the opening of its abstract.
  const opening = p.abstractText?.split(/\s+/).slice(0, 10).join(' ');
  const title = p.title ?? (opening ? `(untitled) “${opening}…”` : '(untitled)');
  return `${String(p.id).padStart(6)}  ${p.year ?? '    '}  ${title} — ${authors}${more} [${id}]`;
}

export function formatPaper(p: Paper): string {
  const out: string[] = [];
  out.push(p.title ?? '(untitled: no source gave a title yet)');
  out.push(p.authors.length ? p.authors.map((a) => a.name.display).join(', ') : '(authors unknown)');
  const ids = Object.entries(p.ids).map(([k, v]) => `${k}: ${v}`);
  out.push(`Paperscope id: ${p.id}${ids.length ? ` · ${ids.join(' · ')}` : ''}`);
  if (p.published || p.year) out.push(`Published: ${p.published ?? p.year}`);
  if (p.categories.length) out.push(`Categories: ${p.categories.join(', ')}`);
  if (p.journalRef || p.venue) out.push(`Venue: ${p.journalRef ?? p.venue}`);
  if (p.abstractText) out.push('', p.abstractText, '');
  for (const l of p.codeLinks)
    out.push(`Code: ${l.url} (${l.kind}${l.status === 'ok' ? '' : `, ${l.status}`})`);
  const via = Object.entries(p.via).map(([field, source]) => `${field} via ${source}`);
  if (via.length) out.push(`Via: ${via.join('; ')}`);
  out.push('Sources:');
  for (const s of p.sources) out.push(`  ${s.source} · ${s.origin} · ${s.locator} · ${s.fetchedAt}`);
  return out.join('\n');
}

export function formatAuthor(a: AuthorProfile, papers: Paper[]): string {
  const out = [`${a.displayName} (author ${a.id}) — ${a.paperCount} papers`];
  out.push(`Name variants: ${a.names.map((n) => n.display).join('; ')}`);
  if (a.coauthors.length) {
    out.push(
      `Co-authors: ${a.coauthors
        .slice(0, 15)
        .map((c) => `${c.displayName} (${c.count})`)
        .join(', ')}`,
    );
  }
  if (a.papersPerYear.length) {
    out.push('Papers per year:');
    const max = Math.max(...a.papersPerYear.map((y) => y.count));
    for (const y of a.papersPerYear) {
      out.push(`  ${y.year} ${'█'.repeat(Math.max(1, Math.round((y.count / max) * 30)))} ${y.count}`);
    }
  }
  out.push('Papers:');
  for (const p of papers) out.push(paperLine(p));
  return out.join('\n');
}
