import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError, parseJsonArray, parseNpy } from '../src/index.js';
import { npyBytes } from './helpers.js';

// Fixed seeds keep CI deterministic; fast-check prints the seed and the shrunk input on failure,
// so a failure can be replayed with { seed, path }.
const RUNS = { seed: 20240516, numRuns: 200 };

const NPY_CODES = ['CORRUPT_FILE', 'UNSUPPORTED_LAYOUT', 'UNSUPPORTED_DTYPE'];

type Outcome = { ok: true; shape: number[]; length: number } | { ok: false; code: string };

/** What a reader did with an input: a well-formed array, or a CliError's code. Anything else is thrown on, failing the property. */
function outcome(read: () => { shape: number[]; data: Float32Array | Int32Array }, source: string): Outcome {
  try {
    const a = read();
    return { ok: true, shape: a.shape, length: a.data.length };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    expect(error.kind).toBe('bad-input');
    // The message names the file, so a user with several inputs knows which one is bad.
    expect(error.message).toContain(source);
    return { ok: false, code: error.code };
  }
}

/** A result is usable downstream: every dimension a safe non-negative integer and the data fills the shape. */
function expectWellFormed(o: Outcome, codes: string[]): void {
  if (!o.ok) {
    expect(codes).toContain(o.code);
    return;
  }
  for (const d of o.shape) expect(Number.isSafeInteger(d) && d >= 0, `dimension ${d}`).toBe(true);
  expect(o.length).toBe(o.shape.reduce((a, b) => a * b, 1));
}

const npy = (bytes: Uint8Array) => outcome(() => parseNpy(bytes, 'fuzz.npy'), 'fuzz.npy');
const json = (text: string) => outcome(() => parseJsonArray(text, 'fuzz.json'), 'fuzz.json');

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const ITEM: Record<string, number> = { '<f4': 4, '<f8': 8, '<i4': 4, '<i8': 8, '|u1': 1, '<u1': 1, '|b1': 1 };

/** A valid file to mutate: any supported dtype, up to rank 3, values that fit every dtype. */
const validNpy = fc
  .record({
    descr: fc.constantFrom('<f4', '<f8', '<i4', '<i8', '|u1', '|b1') as fc.Arbitrary<'<f4' | '<f8' | '<i4' | '<i8' | '|u1' | '|b1'>,
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    version: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
  })
  .map(({ descr, shape, version }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return npyBytes(descr, shape, Array.from({ length: n }, (_, i) => i % 2), { version });
  });

/** Byte-level damage: flips, truncation, insertion, and an overwritten header-length field. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('header-length' as const), value: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(0xffff)) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = 'at' in m ? m.at % (bytes.length + 1) : 0;
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (at < out.length) out[at] = m.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case 'header-length': {
      const out = bytes.slice();
      if (out.length >= 10) new DataView(out.buffer).setUint16(8, m.value, true);
      return out;
    }
  }
}
type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'header-length'; value: number };

/** Header text for a dimension, including forms NumPy never writes. */
const dimension = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }).map((d) => ({ text: String(d), value: d as number | undefined })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((d) => ({ text: `${d}L`, value: d as number | undefined })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('-1', '1e300', '9007199254740993', '1.5', 'NaN', 'x').map((text) => ({ text, value: undefined })),
  },
);

/** A header built field by field, so the expected outcome can be worked out independently. */
const header = fc.record({
  descr: fc.oneof(
    fc.constantFrom(...Object.keys(ITEM)),
    // Names an object-literal lookup would find on Object.prototype, and real dtypes that are not supported.
    fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', '>f4', '<f2', '<c8', '|O', '<U3'),
    fc.stringMatching(/^[<>|=]?[a-zA-Z]\d{0,2}$/),
  ),
  fortran: fc.boolean(),
  dims: fc.array(dimension, { maxLength: 4 }),
  // How many data bytes to write relative to what the header asks for.
  delta: fc.constantFrom(0, 0, 0, -1, 1, 7),
  version: fc.constantFrom(1, 2, 3),
});

type Header = typeof header extends fc.Arbitrary<infer H> ? H : never;

function headerFile(h: Header): { bytes: Uint8Array; expected: Outcome } {
  const shapeText = h.dims.length === 1 ? `(${h.dims[0]!.text},)` : `(${h.dims.map((d) => d.text).join(', ')})`;
  const dict = `{'descr': '${h.descr}', 'fortran_order': ${h.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }\n`;
  const text = new TextEncoder().encode(dict);
  const prefix = h.version === 1 ? 10 : 12;
  const item = Object.hasOwn(ITEM, h.descr) ? ITEM[h.descr]! : 4;
  const shape = h.dims.map((d) => d.value);
  const count = shape.reduce<number>((a, b) => a * (b ?? 0), 1);
  const dataBytes = Math.max(0, count * item + h.delta);
  const bytes = new Uint8Array(prefix + text.length + dataBytes);
  bytes.set([...MAGIC, h.version, 0]);
  const view = new DataView(bytes.buffer);
  if (h.version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  bytes.set(text, prefix);
  // The order NumPy users would want: a broken header first, then layout, dtype, and finally size.
  let expected: Outcome;
  if (shape.some((d) => d === undefined)) expected = { ok: false, code: 'CORRUPT_FILE' };
  else if (h.fortran) expected = { ok: false, code: 'UNSUPPORTED_LAYOUT' };
  else if (!Object.hasOwn(ITEM, h.descr)) expected = { ok: false, code: 'UNSUPPORTED_DTYPE' };
  else if (dataBytes !== count * item) expected = { ok: false, code: 'CORRUPT_FILE' };
  else expected = { ok: true, shape: shape as number[], length: count };
  return { bytes, expected };
}

describe('npy reader under fuzzing', () => {
  it('[bad input] .npy reader: arbitrary bytes → a coded error (CORRUPT_FILE or another bad-input code, exit 3), never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => expectWellFormed(npy(bytes), NPY_CODES)),
      RUNS,
    );
  });

  it('[bad input] .npy reader: the magic string followed by arbitrary bytes → a coded error (CORRUPT_FILE, UNSUPPORTED_DTYPE, UNSUPPORTED_LAYOUT) or a well-formed array', () => {
    const afterMagic = fc
      .tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 300 }))
      .map(([version, rest]) => new Uint8Array([...MAGIC, version, 0, ...rest]));
    fc.assert(
      fc.property(afterMagic, (bytes) => expectWellFormed(npy(bytes), NPY_CODES)),
      RUNS,
    );
  });

  it('[bad input] .npy reader: byte flips, truncation, insertions and a rewritten header length in a valid file → a coded error or a well-formed array, never a crash', () => {
    fc.assert(
      fc.property(validNpy, fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, ms) => {
        expectWellFormed(npy(ms.reduce(mutate, file)), NPY_CODES);
      }),
      RUNS,
    );
  });

  it('[bad input] .npy reader: an edited header (dtype, shape, fortran_order, data length) → exactly the expected code, or the array', () => {
    fc.assert(
      fc.property(header, (h) => {
        const { bytes, expected } = headerFile(h);
        expect(npy(bytes)).toEqual(expected);
      }),
      RUNS,
    );
  });
});

/** Nested arrays of numbers, regular or ragged, as a user might hand-write them. */
const nested: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.double(), fc.integer(), fc.array(tie('value'), { maxLength: 4 })),
})).value;

const shapeData = fc.record({
  shape: fc.oneof(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), fc.jsonValue()),
  data: fc.oneof(nested, fc.jsonValue()),
});

/** Character-level damage to JSON text. */
const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 5 }),
  insert: fc.constantFrom('', '[', ']', ',', '{', '"', '-', '1e999', 'null', '\u0000'),
});

describe('JSON array reader under fuzzing', () => {
  it('[bad input] JSON array reader: arbitrary bytes → CORRUPT_FILE or a well-formed array, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => expectWellFormed(json(Buffer.from(bytes).toString('utf8')), ['CORRUPT_FILE'])),
      RUNS,
    );
  });

  it('[bad input] JSON array reader: any JSON value, ragged nested arrays, odd {shape, data} objects → CORRUPT_FILE or a well-formed array', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nested, shapeData), (value) => {
        expectWellFormed(json(JSON.stringify(value) ?? 'undefined'), ['CORRUPT_FILE']);
      }),
      RUNS,
    );
  });

  it('[bad input] JSON array reader: character edits of a valid file → CORRUPT_FILE or a well-formed array, never a crash', () => {
    const valid = fc.oneof(nested, shapeData).map((v) => JSON.stringify(v) ?? '[]');
    fc.assert(
      fc.property(valid, fc.array(textEdit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        const edited = edits.reduce((t, e) => {
          const at = e.at % (t.length + 1);
          return t.slice(0, at) + e.insert + t.slice(at + e.remove);
        }, text);
        expectWellFormed(json(edited), ['CORRUPT_FILE']);
      }),
      RUNS,
    );
  });

  it('[bad input] JSON array reader: arrays nested 100 000 deep, dimensions of 1e300 → CORRUPT_FILE, not a stack overflow', () => {
    // Every form at every depth: few enough to enumerate, and random depths would add nothing.
    const forms: Record<string, (d: number) => string> = {
      empty: (d) => '['.repeat(d) + ']'.repeat(d),
      'deep element': (d) => `[1, ${'['.repeat(d)}${']'.repeat(d)}]`,
      'deep object': (d) => `[${'{"a":'.repeat(d)}1${'}'.repeat(d)}]`,
      'deep data': (d) => `{"shape": [1], "data": ${'['.repeat(d)}1${']'.repeat(d)}}`,
      'deep shape': (d) => `{"shape": ${'['.repeat(d)}${']'.repeat(d)}, "data": []}`,
    };
    for (const [form, build] of Object.entries(forms)) {
      for (const depth of [2, 64, 65, 100_000]) {
        const o = json(build(depth));
        expectWellFormed(o, ['CORRUPT_FILE']);
        if (depth > 1000) expect(o.ok, `${form} at depth ${depth}`).toBe(false);
      }
    }
    for (const text of ['{"shape": [0, 1e300], "data": []}', '{"shape": [9007199254740993, 0], "data": []}']) {
      expect(json(text), text).toEqual({ ok: false, code: 'CORRUPT_FILE' });
    }
  });
});
