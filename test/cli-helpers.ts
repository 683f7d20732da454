import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Run the real `paperscope` command in-process against a data folder; capture what it prints. */
export async function runCli(
  dataDir: string,
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(['--data', dataDir, ...args], {
    out: (t) => {
      out += t.endsWith('\n') ? t : `${t}\n`;
    },
    err: (t) => {
      err += t.endsWith('\n') ? t : `${t}\n`;
    },
    env,
    stdin: Readable.from([stdin]),
  });
  return { code, out, err };
}

export function tempDataDir(prefix = 'paperscope-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
