import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { fixturePath } from './shared.ts';

/**
 * Bad input through the real CLI: a clear error naming the file, the record and the place;
 * the valid records in the same file imported; the exit code saying it failed in part;
 * importing again changes nothing.
 */
let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

function write(name: string, content: string | Buffer): string {
  const path = join(data.dir, name);
  writeFileSync(path, content);
  return path;
}

async function papers(): Promise<number> {
  return JSON.parse((await runCli(data.dir, ['stats', '--json'])).out).papers;
}

const bulkLines = readFileSync(fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'), 'utf8').split('\n');

describe('bad input', () => {
  it('truncated XML: the records before the cut are kept, the cut is named', async () => {
    const xml = readFileSync(fixturePath('arxiv-oai', 'ListRecords_data_2.xml'), 'utf8');
    const cut = xml.indexOf('<record>', xml.length / 2) + 200;
    const path = write('cut.xml', xml.slice(0, cut));
    const run = await runCli(data.dir, ['import', path]);
    expect(run.code).toBe(1);
    const kept = xml.slice(0, cut).split('<record>').length - 2;
    expect(await papers()).toBe(kept);
    expect(run.out).toContain(`${path}: record ${kept + 1}`);
  });

  it('invalid JSON lines: each named by its line, the others imported', async () => {
    const lines = [bulkLines[0], '{"id": "broken', bulkLines[1], 'not json at all', bulkLines[2]];
    const path = write('bulk.jsonl', lines.join('\n'));
    const run = await runCli(data.dir, ['import', path]);
    expect(run.code).toBe(1);
    expect(await papers()).toBe(3);
    expect(run.out).toMatch(new RegExp(`${path}: line 2: .+\\[arxiv-bulk\\]`));
    expect(run.out).toMatch(new RegExp(`${path}: line 4: `));
    const again = await runCli(data.dir, ['import', '--json', path]);
    expect(JSON.parse(again.out)[0]).toMatchObject({ read: 3, unchanged: 3, new: 0 });
  });

  it('broken BibTeX: the good entries around the broken one are imported', async () => {
    const bib = `@article{good2020,
  title = {A Good Paper},
  author = {Xiao, Lechao and Pennington, Jeffrey},
  year = {2020}
}

@article{broken2021
  title = {Missing comma after the key},
  author = {Doe, Jane}
  year = 2021
}

@inproceedings{alsogood2022,
  title = {Another Good Paper},
  author = {Lechao Xiao},
  year = {2022}
}
`;
    const path = write('refs.bib', bib);
    const run = await runCli(data.dir, ['import', path]);
    expect(run.code).toBe(1);
    expect(await papers()).toBe(2);
    expect(run.out).toMatch(/refs\.bib: entry 2[^\n]*line 7/);
    const author = JSON.parse((await runCli(data.dir, ['author', 'Lechao Xiao', '--json'])).out);
    expect(author.paperCount).toBe(2);
  });

  it('a 50 MB abstract is refused with its size, the line named, the rest imported', async () => {
    const huge = JSON.parse(bulkLines[3]!);
    huge.abstract = 'word '.repeat(10 * 1024 * 1024);
    const path = write('huge.jsonl', [bulkLines[0], JSON.stringify(huge), bulkLines[1]].join('\n'));
    const run = await runCli(data.dir, ['import', path]);
    expect(run.code).toBe(1);
    expect(await papers()).toBe(2);
    expect(run.out).toMatch(
      /huge\.jsonl: line 2 \(arXiv:0806\.4129\): skipped: the abstract is 50\.0 MiB long/,
    );
  });

  it('binary garbage, an empty file and an unknown format fail cleanly, naming the file', async () => {
    const binary = write('garbage.bin', Buffer.concat([Buffer.from([0, 1, 2, 0xff]), randomBytes(4096)]));
    const empty = write('empty.json', '');
    const prose = write(
      'notes.txt',
      'Shopping list:\n- milk\n- bread\n\nCall Anna on Tuesday about the car.\n',
    );
    for (const [path, message] of [
      [binary, 'binary'],
      [empty, 'empty'],
      [prose, 'unknown format'],
    ] as const) {
      const run = await runCli(data.dir, ['import', path]);
      expect(run.code).toBe(2);
      expect(run.out).toContain(`${path}: file: `);
      expect(run.out).toContain(message);
    }
    expect(await papers()).toBe(0);
  });

  it('a file that does not exist is named, and other files on the same command still import', async () => {
    const good = write('one.jsonl', bulkLines[0]!);
    const run = await runCli(data.dir, ['import', join(data.dir, 'missing.xml'), good]);
    expect(run.out).toContain('missing.xml: file: cannot read the file');
    expect(await papers()).toBe(1);
    expect(run.code).toBe(1);
  });

  it('a forced format that does not fit gives problems, not a crash', async () => {
    const path = write('feed.jsonl', bulkLines.slice(0, 2).join('\n'));
    const run = await runCli(data.dir, ['import', '--format', 'ris', path]);
    expect(run.code).toBe(2);
    expect(await papers()).toBe(0);
    expect(run.out).toContain(`${path}`);
  });
});
