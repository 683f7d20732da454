import type { FC } from 'hono/jsx';
import type { Paper } from '../../domain/paper.ts';
import type { Stats } from '../../store/port.ts';
import { PaperList } from '../components/paper-list.tsx';

export const HomePage: FC<{ stats: Stats; latest: readonly Paper[] }> = ({ stats, latest }) => (
  <>
    <h1>Paperscope</h1>
    <p class="muted">
      {stats.papers.toLocaleString('en')} papers · {stats.authors.toLocaleString('en')} authors ·{' '}
      {stats.codeLinks.toLocaleString('en')} code links
    </p>
    {stats.papers === 0 ? (
      <p class="notice">
        The knowledge base is empty. <a href="/import">Import</a> a file or paste the text of a page to begin.
      </p>
    ) : (
      <>
        <h2>Latest papers</h2>
        <PaperList papers={latest} />
      </>
    )}
  </>
);
