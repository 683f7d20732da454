import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSearchCommand } from '../../cli/commands/search.ts';
import type { CommandContext } from '../../cli/main.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import { buildTestCorpus, type TestCorpus } from './test-corpus.ts';

/** The `search` command, registered on a bare program with the store of the test corpus. */
let corpus: TestCorpus;

beforeAll(async () => {
  corpus = await buildTestCorpus();
}, 120_000);
afterAll(() => corpus?.cleanup());

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const program = new Command('paperscope').exitOverride();
  const context = {
    io: { out: (t: string) => out.push(t), err: () => {}, env: {}, stdin: process.stdin },
    config: () => {
      throw new Error('not needed');
    },
    openStore: () => corpus.store,
    setExit: () => {},
  } as unknown as CommandContext;
  registerSearchCommand(program, context);
  await program.parseAsync(['search', ...args], { from: 'user' });
  return out.join('\n');
}

describe('paperscope search', () => {
  it('prints the total, one line per hit and its snippet', async () => {
    const text = await run(['title:RegMix']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 papers match; 1–2 shown.');
    expect(lines.filter((l) => l.includes('RegMix: Data Mix'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('«RegMix»'))).toHaveLength(2);
  });

  it('prints JSON with --json, honouring --limit and --offset', async () => {
    const r = JSON.parse(
      await run(['author:"Xiao, L"', '--json', '--limit', '5', '--offset', '10', '--sort', 'date']),
    );
    expect(r.total).toBe(12);
    expect(r.hits).toHaveLength(2);
    expect(r.query.kind).toBe('author');
    expect(r.facets.authors[0].name).toBe('Lechao Xiao');
  });

  it('throws InvalidInputError with the caret pointer for a malformed query', async () => {
    await expect(run(['year:2024-2020'])).rejects.toThrow(InvalidInputError);
    await expect(run(['(kernel'])).rejects.toThrow(/\n\^/);
  });
});
