import type { FC } from 'hono/jsx';
import type { CoauthorNetwork } from '../../discovery/authors/profile.ts';

/**
 * The person in the middle, their closest co-authors on a circle around them, and a line
 * between two co-authors who are on the same papers. Drawn on the server as SVG (a fixed
 * radial layout: no physics simulation to run per request); each name is a link, so the
 * picture is not `role="img"` (an image may not hold links) but a labelled SVG document.
 */

const SIZE = 360;
const CENTER = SIZE / 2;
const RADIUS = 118;

export interface NodePlace {
  id: number;
  name: string;
  papers: number;
  x: number;
  y: number;
  /** Which side of its point the label goes. */
  anchor: 'start' | 'middle' | 'end';
}

export function placeNodes(network: CoauthorNetwork): NodePlace[] {
  const n = network.nodes.length;
  return network.nodes.map((node, i) => {
    // Clockwise from the top, the closest co-author first.
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    const x = CENTER + RADIUS * Math.cos(angle);
    const y = CENTER + RADIUS * Math.sin(angle);
    const anchor = Math.abs(Math.cos(angle)) < 0.3 ? 'middle' : Math.cos(angle) > 0 ? 'start' : 'end';
    return { ...node, x: round(x), y: round(y), anchor };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function shortName(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}

export const CoauthorNetworkChart: FC<{ network: CoauthorNetwork; name: string }> = ({ network, name }) => {
  if (network.nodes.length < 2) return null;
  const places = placeNodes(network);
  const at = new Map(places.map((p) => [p.id, p]));
  const maxPapers = Math.max(...places.map((p) => p.papers));
  const label = `Co-author network of ${name}: ${places.map((p) => `${p.name} (${p.papers} ${p.papers === 1 ? 'paper' : 'papers'})`).join(', ')}`;
  return (
    <svg
      class="coauthor-network"
      viewBox={`-70 0 ${SIZE + 140} ${SIZE}`}
      aria-labelledby="network-title"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="network-title">{label}</title>
      {network.links.map((l) => {
        const a = at.get(l.a)!;
        const b = at.get(l.b)!;
        return (
          <line
            class="between"
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            stroke-width={Math.min(4, 0.5 + l.papers / 2)}
          />
        );
      })}
      {places.map((p) => (
        <line
          class="spoke"
          x1={CENTER}
          y1={CENTER}
          x2={p.x}
          y2={p.y}
          stroke-width={round(1 + (3 * p.papers) / maxPapers)}
        />
      ))}
      <circle class="self" cx={CENTER} cy={CENTER} r={9} />
      {places.map((p) => (
        <a href={`/author/${p.id}`}>
          <circle class="node" cx={p.x} cy={p.y} r={round(4 + (4 * p.papers) / maxPapers)} />
          <text
            class="name"
            x={p.anchor === 'start' ? p.x + 10 : p.anchor === 'end' ? p.x - 10 : p.x}
            y={p.anchor === 'middle' ? (p.y < CENTER ? p.y - 12 : p.y + 22) : p.y + 5}
            text-anchor={p.anchor}
          >
            {shortName(p.name)}
          </text>
        </a>
      ))}
    </svg>
  );
};
