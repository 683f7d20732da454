import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** What a benchmark ran on, for docs/benchmarks.md. */
export interface Machine {
  cores: number;
  memory: string;
  node: string;
  cpu: string;
}

export function describeMachine(): Machine {
  return { cores: cores(), memory: memory(), node: process.version, cpu: cpuModel() };
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memory} RAM, Node ${m.node}`;
}

function cores(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return availableParallelism();
  }
}

/** `free -g`'s total, falling back to what Node sees. */
function memory(): string {
  try {
    const out = execFileSync('free', ['-g'], { encoding: 'utf8' });
    const total = /^Mem:\s+(\d+)/m.exec(out)?.[1];
    if (total) return `${total} GiB`;
  } catch {}
  return `${Math.round(totalmem() / 2 ** 30)} GiB`;
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

/** The commit the figures belong to, `+dirty` when the work tree has changes. */
export function gitRevision(cwd: string): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return 'unknown';
  }
}
