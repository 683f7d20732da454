/**
 * The search index keeps itself up to date by reading the papers changed since it last
 * looked, in `updated_at` order: without this index that is a scan of every paper.
 */
export const searchSync = `
  CREATE INDEX papers_updated_at ON papers(updated_at);
`;
