import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Machine } from './machine.ts';

/**
 * docs/benchmarks.md holds every benchmark's latest figures. Each benchmark owns one section
 * between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` and rewrites only that, so several
 * benchmarks share the file.
 */
export function writeBenchSection(docPath: string, name: string, body: string, machine: Machine): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : header(machine);
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
}

function header(m: Machine): string {
  return `# Benchmarks

Figures from the programs under \`bench/\`. They are programs, not tests: each prints its
figures and rewrites its own section of this file (between \`<!-- bench:NAME -->\` markers),
with the command that reproduces it and the date it ran. Numbers from different machines
are not comparable; each section names the machine it ran on.

## Machine

The figures below were first written on this machine (each section repeats its own):

- cores (\`nproc\`): ${m.cores}
- memory (\`free -g\`): ${m.memory}
- CPU (/proc/cpuinfo): ${m.cpu}
- Node (\`node --version\`): ${m.node}

On a machine shared with other work the figures are noisy: compare runs made side by side.
`;
}
