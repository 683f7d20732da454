/**
 * A sentence-embedding model small enough to write by hand, for tests: token ids → `Gather`
 * from an embedding table → `ReduceMean` over the tokens → `sentence_embedding` [1, dims].
 * Serialized as an ONNX ModelProto with a minimal protobuf writer (field numbers from onnx.proto),
 * so the tests need no model download and no protobuf dependency. The vectors it gives are the
 * mean of the table rows of a text's tokens, known in advance.
 */

/** ONNX `TensorProto.DataType`. */
const FLOAT = 1;
const INT64 = 7;
/** ONNX `AttributeProto.AttributeType`. */
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

export interface TinyModel {
  /** One token a line, as a `vocab.txt`: the line number is the token's row in the table. */
  vocabulary: string[];
  /** One row per token, all of the same length. */
  table: number[][];
}

export function tinyEmbeddingModel({ vocabulary, table }: TinyModel): Uint8Array {
  const dims = table[0]?.length ?? 0;
  if (table.length !== vocabulary.length || table.some((r) => r.length !== dims)) {
    throw new RangeError('one table row of equal length per vocabulary token');
  }
  const weights = new Float32Array(table.flat());
  const graph = message([
    field(1, node('Gather', ['embeddings', 'input_ids'], ['gathered'], [intAttribute('axis', 0)])),
    field(
      1,
      node(
        'ReduceMean',
        ['gathered'],
        ['sentence_embedding'],
        [intsAttribute('axes', [1]), intAttribute('keepdims', 0)],
      ),
    ),
    field(2, text('tiny-embedding')),
    field(
      5,
      message([
        ...[table.length, dims].map((d) => varintField(1, d)),
        varintField(2, FLOAT),
        field(8, text('embeddings')),
        field(9, new Uint8Array(weights.buffer)),
      ]),
    ),
    field(11, valueInfo('input_ids', INT64, [1, 'tokens'])),
    field(12, valueInfo('sentence_embedding', FLOAT, [1, dims])),
  ]);
  return message([
    varintField(1, 7), // ir_version
    field(2, text('paperscope-tests')), // producer_name
    field(7, graph),
    field(8, message([field(1, text('')), varintField(2, 13)])), // opset_import: default domain, 13
  ]);
}

function node(op: string, inputs: string[], outputs: string[], attributes: Uint8Array[]): Uint8Array {
  return message([
    ...inputs.map((i) => field(1, text(i))),
    ...outputs.map((o) => field(2, text(o))),
    field(3, text(`${op.toLowerCase()}-0`)),
    field(4, text(op)),
    ...attributes.map((a) => field(5, a)),
  ]);
}

function intAttribute(name: string, value: number): Uint8Array {
  return message([field(1, text(name)), varintField(3, value), varintField(20, ATTRIBUTE_INT)]);
}

function intsAttribute(name: string, values: number[]): Uint8Array {
  return message([
    field(1, text(name)),
    ...values.map((v) => varintField(8, v)),
    varintField(20, ATTRIBUTE_INTS),
  ]);
}

function valueInfo(name: string, elemType: number, shape: (number | string)[]): Uint8Array {
  const dims = shape.map((d) =>
    field(1, message([typeof d === 'number' ? varintField(1, d) : field(2, text(d))])),
  );
  const tensorType = message([varintField(1, elemType), field(2, message(dims))]);
  return message([field(1, text(name)), field(2, message([field(1, tensorType)]))]);
}

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A length-delimited field (wire type 2). */
function field(number: number, bytes: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

/** A varint field (wire type 0); only non-negative values are needed here. */
function varintField(number: number, value: number): Uint8Array {
  return concat([varint(number << 3), varint(value)]);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return Uint8Array.from(out);
}

function message(fields: Uint8Array[]): Uint8Array {
  return concat(fields);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
