import type { FC } from 'hono/jsx';

const OPEN = '«';
const CLOSE = '»';

export interface TextPiece {
  text: string;
  marked: boolean;
}

/**
 * The search engine's snippet marks matches as «…». Split it into pieces so the page builds
 * `<mark>` elements itself: the text stays text (escaped by JSX), whatever the abstract holds.
 * A stray « or » (a French quotation in an abstract) without its partner is kept as written.
 */
export function splitMarks(snippet: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  while (at < snippet.length) {
    const open = snippet.indexOf(OPEN, at);
    const close = open < 0 ? -1 : snippet.indexOf(CLOSE, open + 1);
    if (open < 0 || close < 0) {
      pieces.push({ text: snippet.slice(at), marked: false });
      break;
    }
    if (open > at) pieces.push({ text: snippet.slice(at, open), marked: false });
    if (close > open + 1) pieces.push({ text: snippet.slice(open + 1, close), marked: true });
    at = close + 1;
  }
  return pieces;
}

export const MarkedText: FC<{ snippet: string }> = ({ snippet }) => (
  <>{splitMarks(snippet).map((p) => (p.marked ? <mark>{p.text}</mark> : p.text))}</>
);
