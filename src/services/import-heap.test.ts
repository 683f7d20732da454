import { afterEach, describe, expect, it, vi } from 'vitest';

// What the import asks of V8, recorded instead of applied.
const flags: string[] = [];
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: (flag: string) => {
    flags.push(flag);
  },
}));

const { IMPORT_HEAP_GROWING_PERCENT, withTightHeap } = await import('./import-heap.ts');

afterEach(() => {
  flags.length = 0;
  vi.unstubAllEnvs();
});

describe('withTightHeap', () => {
  it('tightens the heap for the length of the work and gives V8 its own choice back, also after a failure', async () => {
    const seen: string[][] = [];
    const value = await withTightHeap(async () => {
      seen.push([...flags]);
      return 42;
    });
    expect(value).toBe(42);
    expect(seen).toEqual([[`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`]]);
    expect(flags).toEqual([
      `--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`,
      '--heap-growing-percent=0',
    ]);

    flags.length = 0;
    await expect(
      withTightHeap(async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(flags).toEqual([
      `--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`,
      '--heap-growing-percent=0',
    ]);
  });

  it('keeps the setting while imports overlap, until the last one ends', async () => {
    let finishFirst!: () => void;
    const first = withTightHeap(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = withTightHeap(async () => {
      // The first is still running: nothing given back yet.
      expect(flags).toEqual([`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`]);
    });
    await second;
    expect(flags).toEqual([`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`]);
    finishFirst();
    await first;
    expect(flags).toEqual([
      `--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`,
      '--heap-growing-percent=0',
    ]);
  });

  it('leaves a factor chosen when the process was started alone', async () => {
    vi.stubEnv('NODE_OPTIONS', '--max-old-space-size=4096 --heap-growing-percent=50');
    await withTightHeap(async () => undefined);
    expect(flags).toEqual([]);
  });
});
