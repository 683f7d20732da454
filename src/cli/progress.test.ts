import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';

/** A stream that says it is a terminal, keeping what was written. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    columns: 200,
  }) as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('import progress on a terminal', () => {
  it('shows records while reading, then says the indexes are being built after a bulk load', async () => {
    const terminal = fakeTerminal();
    const progress = createProgress(terminal.stream);
    progress.update({ origin: '/data/snapshot.jsonl', read: 2000, bytesRead: 10, totalBytes: 100 });
    await new Promise((r) => setTimeout(r, 10));
    expect(terminal.text()).toContain('2000 records');
    expect(terminal.text()).not.toContain('building indexes');
    progress.update({
      origin: '/data/snapshot.jsonl',
      read: 20000,
      bytesRead: 100,
      totalBytes: 100,
      stage: 'indexing',
    });
    progress.stop();
    await new Promise((r) => setTimeout(r, 10));
    expect(terminal.text()).toContain('20000 records');
    expect(terminal.text()).toContain('building indexes');
  });
});
