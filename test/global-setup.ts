import { existsSync } from 'node:fs';
import { SHARED_DIR } from './shared.ts';

/** Tests read real data from ../shared; fail at once, clearly, when it is not there. */
export default function setup(): void {
  if (!existsSync(`${SHARED_DIR}/fixtures`) || !existsSync(`${SHARED_DIR}/seeds`)) {
    throw new Error(
      `Paperscope tests need the shared data folder at ${SHARED_DIR} (with fixtures/ and seeds/). ` +
        'Check it out beside this repository, or set PAPERSCOPE_SHARED to its path.',
    );
  }
}
