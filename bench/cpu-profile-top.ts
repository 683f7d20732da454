import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Where an import spends its time: the top self-time functions and files of a V8
 * `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench:import -- --cpu-prof`).
 *
 *   node --import tsx bench/cpu-profile-top.ts DIR/*.cpuprofile [--top 10]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Self time per function (by name and place) and per file, biggest first. */
export function hotSpots(profile: Profile, root = process.cwd()): { functions: HotSpot[]; files: HotSpot[] } {
  const byNode = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    // timeDeltas[i] is the time since the previous sample: it belongs to sample i-1's frame.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    byNode.set(id, (byNode.get(id) ?? 0) + delta);
  }
  const total = [...byNode.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map<string, HotSpot>();
  const files = new Map<string, HotSpot>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? shorten(url, root) : '(native)';
    const name = functionName || '(anonymous)';
    // tsx compiles TypeScript without keeping lines, so a .ts line number would mislead.
    const where = !url ? '' : file.endsWith('.ts') ? file : `${file}:${lineNumber + 1}`;
    add(fns, `${name}@${where}`, name, where, us, total);
    add(files, file, file, '', us, total);
  }
  const sorted = (m: Map<string, HotSpot>) => [...m.values()].sort((a, b) => b.selfMs - a.selfMs);
  return { functions: sorted(fns), files: sorted(files) };
}

function add(
  into: Map<string, HotSpot>,
  key: string,
  name: string,
  where: string,
  us: number,
  total: number,
): void {
  const spot = into.get(key) ?? { name, where, selfMs: 0, share: 0 };
  spot.selfMs += us / 1000;
  spot.share += us / total;
  into.set(key, spot);
}

function shorten(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + 1);
  return path.startsWith('/') ? relative(root, path) : path;
}

/** Markdown tables of the top functions and files. */
export function renderHotSpots(profile: Profile, top: number): string {
  const { functions, files } = hotSpots(profile);
  const lines = ['| # | self ms | self % | function | file |', '| ---: | ---: | ---: | --- | --- |'];
  for (const [i, f] of functions.slice(0, top).entries()) {
    lines.push(
      `| ${i + 1} | ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} | \`${f.name}\` | ${f.where} |`,
    );
  }
  lines.push('', '| self ms | self % | file |', '| ---: | ---: | --- |');
  for (const f of files.slice(0, top))
    lines.push(`| ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} | ${f.name} |`);
  return lines.join('\n');
}

/** Node writes one profile per thread; tsx's loader thread is idle. The busiest one is the import. */
export function busiestProfile(files: string[]): Profile | undefined {
  let best: { profile: Profile; busy: number } | undefined;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const idle = hotSpots(profile).functions.find((f) => f.name === '(idle)')?.share ?? 0;
    if (!best || 1 - idle > best.busy) best = { profile, busy: 1 - idle };
  }
  return best?.profile;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '10' } },
  });
  if (positionals.length === 0) {
    console.error('usage: cpu-profile-top.ts FILE.cpuprofile… [--top N]');
    process.exit(2);
  }
  const profile = busiestProfile(positionals)!;
  console.log(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall\n`);
  console.log(renderHotSpots(profile, Number(values.top)));
}

if (process.argv[1]?.endsWith('cpu-profile-top.ts')) main();
