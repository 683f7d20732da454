/**
 * The lines of a text read chunk by chunk, as `readline` gives them with `crlfDelay: Infinity`
 * (`\n`, `\r\n` and a lone `\r` each end a line; a last line needs no ending), a chunk's worth
 * at a time. `readline` settles a promise and runs a regex for every line; at millions of lines
 * a bulk import's worker thread paid for that more than for reading.
 */
export async function* linesByChunk(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of chunks) {
    let cut = Math.max(chunk.lastIndexOf('\n'), chunk.lastIndexOf('\r'));
    // A `\r` that ends the chunk may be the first half of a `\r\n`: it waits for the next chunk.
    if (cut === chunk.length - 1 && chunk[cut] === '\r') {
      // (lastIndexOf reads a negative start as 0: a chunk of one `\r` has no break before it.)
      cut = cut === 0 ? -1 : Math.max(chunk.lastIndexOf('\n', cut - 1), chunk.lastIndexOf('\r', cut - 1));
    }
    if (cut === -1) {
      carry += chunk;
      continue;
    }
    let block = carry + chunk.slice(0, cut);
    // The `\r` of a `\r\n` that ends the block goes with its `\n`.
    if (chunk[cut] === '\n' && block.endsWith('\r')) block = block.slice(0, -1);
    carry = chunk.slice(cut + 1);
    yield splitLines(block);
  }
  // A lone `\r` that ends the file ends a line (an empty one too); no line comes after it.
  if (carry.endsWith('\r')) yield splitLines(carry.slice(0, -1));
  else if (carry.length > 0) yield splitLines(carry);
}

function splitLines(block: string): string[] {
  return block.includes('\r') ? block.split(/\r\n|\r|\n/) : block.split('\n');
}
