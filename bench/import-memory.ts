import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Where an import's memory is, sampled from inside its process: the kernel's view
 * (`/proc/self/status`: resident anonymous memory, file pages mapped, shared memory such as
 * SQLite's WAL index) beside V8's (each thread's heap, and the `external` memory that V8 objects
 * hold outside it). What is anonymous and none of these is native memory: SQLite's page cache
 * and statements, malloc's free lists, thread stacks.
 */
export interface MemorySample {
  /** Seconds since the import began. */
  t: number;
  /** Share of the file read, 0–1. */
  fraction: number;
  stage: 'reading' | 'indexing' | 'done' | 'search index';
  rss: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  mainHeapUsed: number;
  mainHeapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The parse worker's heap at its latest batch (0 when none reported). */
  workerHeapUsed: number;
  workerHeapTotal: number;
}

/** The kernel's counters for this process, bytes (zeros where `/proc` is missing). */
export function procStatus(): { rss: number; rssAnon: number; rssFile: number; rssShmem: number } {
  try {
    const text = readFileSync('/proc/self/status', 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), rssAnon: kib('RssAnon'), rssFile: kib('RssFile'), rssShmem: kib('RssShmem') };
  } catch {
    return { rss: 0, rssAnon: 0, rssFile: 0, rssShmem: 0 };
  }
}

export function sampleMemory(
  t: number,
  fraction: number,
  stage: MemorySample['stage'],
  workerHeap: { used: number; total: number } | undefined,
): MemorySample {
  const v8 = process.memoryUsage();
  return {
    t,
    fraction,
    stage,
    ...procStatus(),
    mainHeapUsed: v8.heapUsed,
    mainHeapTotal: v8.heapTotal,
    external: v8.external,
    arrayBuffers: v8.arrayBuffers,
    workerHeapUsed: workerHeap?.used ?? 0,
    workerHeapTotal: workerHeap?.total ?? 0,
  };
}

/**
 * Start the process's peak RSS over (Linux ≥ 4.0: `/proc/self/clear_refs` 5 resets `VmHWM`, which
 * `process.resourceUsage().maxRSS` reads), so that the next step's peak is its own — with what
 * the process still holds when it begins. False where that is not possible.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Anonymous memory that is neither thread's V8 heap nor V8's external memory: SQLite, malloc, stacks. */
export function nativeOf(s: MemorySample): number {
  return s.rssAnon - s.mainHeapTotal - s.workerHeapTotal - s.external;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** A table of samples: where the memory is at each point. */
export function renderMemoryBreakdown(samples: readonly (MemorySample & { label: string })[]): string {
  const head = [
    'when',
    'RSS',
    'anon',
    'file',
    'shmem',
    'main heap used / total',
    'worker heap used / total',
    'external (of it array buffers)',
    'native (anon − heaps − external)',
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| --- | ${head
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  ];
  for (const s of samples) {
    lines.push(
      `| ${[
        s.label,
        mib(s.rss),
        mib(s.rssAnon),
        mib(s.rssFile),
        mib(s.rssShmem),
        `${mib(s.mainHeapUsed)} / ${mib(s.mainHeapTotal)}`,
        s.workerHeapTotal ? `${mib(s.workerHeapUsed)} / ${mib(s.workerHeapTotal)}` : '—',
        `${mib(s.external)} (${mib(s.arrayBuffers)})`,
        mib(nativeOf(s)),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
