import { badInput } from './exit-codes.js';
import type { NumericArray } from './numeric-array.js';
import { elementCount, formatShape } from './numeric-array.js';

function bad(source: string, problem: string) {
  return badInput('CORRUPT_FILE', `${source}: ${problem}`);
}

// NumPy's own limit on dimensions; it also bounds the recursion below, so a file of
// 100 000 nested brackets is refused instead of overflowing the stack.
const MAX_RANK = 64;

/** A short description of a value for a message: a deeply nested or huge value would overflow or flood it. */
function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Shape of a nested array, checking that every row has the same length. */
function nestedShape(value: unknown, source: string): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    if (shape.length === MAX_RANK) throw bad(source, `arrays nested more than ${MAX_RANK} deep`);
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const check = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw bad(source, `${path} is ${describe(v)}, expected a number`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `${v.length} entries` : describe(v);
      throw bad(source, `ragged array: ${path} has ${got} where ${shape[depth]} entries were expected (shape ${formatShape(shape)})`);
    }
    v.forEach((item, i) => check(item, depth + 1, `${path}[${i}]`));
  };
  check(value, 0, 'value');
  return shape;
}

function toTyped(values: number[], source: string): Float32Array | Int32Array {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') throw bad(source, `data[${i}] is ${describe(values[i])}, expected a number`);
  }
  const integers = values.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
  return integers ? Int32Array.from(values) : Float32Array.from(values);
}

/**
 * Reads a JSON array file: nested arrays (`[[0.1, 0.2], [0.3, 0.4]]`), or
 * `{ "shape": [2, 2], "data": [0.1, 0.2, 0.3, 0.4] }` with flat row-major data.
 * All-integer files become int32 (labels), anything else float32.
 */
export function parseJsonArray(text: string, source: string): NumericArray {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(source, `not valid JSON (${(error as Error).message})`);
  }
  if (Array.isArray(value)) {
    const shape = nestedShape(value, source);
    return { shape, data: toTyped((value as unknown[]).flat(MAX_RANK) as number[], source), source };
  }
  if (value && typeof value === 'object' && 'shape' in value && 'data' in value) {
    const { shape, data } = value as { shape: unknown; data: unknown };
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      const got = Array.isArray(shape) ? `[${shape.slice(0, 8).map(describe).join(', ')}${shape.length > 8 ? ', …' : ''}]` : describe(shape);
      throw bad(source, `"shape" must be an array of at most ${MAX_RANK} non-negative integers (got ${got})`);
    }
    if (!Array.isArray(data)) throw bad(source, '"data" must be an array');
    // Anything nested deeper stays an array and is refused by toTyped.
    const flat = data.flat(MAX_RANK) as number[];
    const expected = elementCount(shape as number[]);
    if (flat.length !== expected) {
      throw bad(source, `"shape" ${formatShape(shape as number[])} needs ${expected} values but "data" has ${flat.length}`);
    }
    return { shape: shape as number[], data: toTyped(flat, source), source };
  }
  throw bad(source, 'expected a nested array or an object { "shape": [...], "data": [...] }');
}
