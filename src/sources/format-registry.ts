import type { FormatAdapter, FormatName } from './format.ts';

export interface Detection {
  adapter: FormatAdapter;
  score: number;
}

/** A set of format adapters: find one by name, or sniff which one an input is. */
export class FormatRegistry {
  constructor(readonly adapters: readonly FormatAdapter[]) {}

  get names(): FormatName[] {
    return this.adapters.map((a) => a.format);
  }

  adapterFor(format: string): FormatAdapter | undefined {
    return this.adapters.find((a) => a.format === format);
  }

  /** Sniff the format from the first bytes of the input: the adapter most sure of itself wins. */
  detect(sample: string, fileName?: string): Detection | undefined {
    let best: Detection | undefined;
    for (const adapter of this.adapters) {
      let score = 0;
      try {
        score = adapter.sniff(sample, fileName);
      } catch {
        score = 0;
      }
      if (score > 0 && (!best || score > best.score)) best = { adapter, score };
    }
    return best;
  }
}
