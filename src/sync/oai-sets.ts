/**
 * arXiv categories as OAI-PMH sets. arXiv files every archive under one of its groups
 * (`cs`, `math`, `physics`, `q-bio`, `q-fin`, `stat`, `eess`, `econ`) and names a category's
 * set `group:archive:SUBJECT` (`cs:cs:LG`, `physics:astro-ph:CO`, `physics:hep-th`).
 */
const GROUPS = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);
const PHYSICS_ARCHIVES = new Set([
  'astro-ph',
  'cond-mat',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math-ph',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'physics',
  'quant-ph',
]);

/** The OAI set that holds `category`, or an error message when arXiv has no such archive. */
export function oaiSetFor(category: string): { set: string } | { error: string } {
  const match = /^([a-z-]+)(?:\.([A-Za-z-]+))?$/.exec(category.trim());
  if (!match) return { error: `"${category}" is not an arXiv category (such as cs.LG or hep-th)` };
  const archive = match[1] as string;
  const subject = match[2];
  if (GROUPS.has(archive)) return { set: subject ? `${archive}:${archive}:${subject}` : archive };
  if (archive === 'physics' && !subject) return { set: 'physics' };
  if (PHYSICS_ARCHIVES.has(archive)) {
    return { set: subject ? `physics:${archive}:${subject}` : `physics:${archive}` };
  }
  return { error: `arXiv has no archive "${archive}" (in "${category}")` };
}
