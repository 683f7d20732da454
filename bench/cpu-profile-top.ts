import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Where an import spends its time: the top self-time functions and files of a V8
 * `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench:import -- --cpu-prof`).
 *
 *   node --import tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top 10]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
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
    const where = url ? `${file}:${lineNumber + 1}` : '';
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

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '10' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: cpu-profile-top.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const top = Number(values.top);
  const { functions, files } = hotSpots(profile);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`profile: ${seconds.toFixed(1)} s wall\n`);
  console.log('| # | self ms | self % | function | where |\n| ---: | ---: | ---: | --- | --- |');
  for (const [i, f] of functions.slice(0, top).entries()) {
    console.log(
      `| ${i + 1} | ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} | \`${f.name}\` | ${f.where} |`,
    );
  }
  console.log('\n| self ms | self % | file |\n| ---: | ---: | --- |');
  for (const f of files.slice(0, top)) {
    console.log(`| ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} | ${f.name} |`);
  }
}

if (process.argv[1]?.endsWith('cpu-profile-top.ts')) main();
