import { describe, expect, it } from 'vitest';
import { parseJsonArray } from '../src/index.js';

describe('parseJsonArray', () => {
  it('reads nested arrays; integers become int32, anything else float32', () => {
    const x = parseJsonArray('[[0.5, 1], [2, 3]]', 'x.json');
    expect(x.shape).toEqual([2, 2]);
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(x.data)).toEqual([0.5, 1, 2, 3]);
    const y = parseJsonArray('[0, 2, 1]', 'y.json');
    expect(y.data).toBeInstanceOf(Int32Array);
    expect(y.shape).toEqual([3]);
  });

  it('reads { shape, data } with flat row-major data', () => {
    const a = parseJsonArray('{"shape": [2, 1, 2], "data": [1, 2, 3, 4.5]}', 'a.json');
    expect(a.shape).toEqual([2, 1, 2]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4.5]);
  });

  it('names the problem in bad files', () => {
    expect(() => parseJsonArray('[[1, 2], [3]]', 'r.json')).toThrow(/r\.json: ragged array: value\[1\] has 1 entries where 2 entries were expected/);
    expect(() => parseJsonArray('[[1, "a"]]', 's.json')).toThrow(/s\.json: value\[0\]\[1\] is "a", expected a number/);
    expect(() => parseJsonArray('{"shape": [3], "data": [1, 2]}', 'c.json')).toThrow(/"shape" \[3\] needs 3 values but "data" has 2/);
    expect(() => parseJsonArray('[1, 2', 't.json')).toThrow(/t\.json: not valid JSON/);
    expect(() => parseJsonArray('{"a": 1}', 'o.json')).toThrow(/expected a nested array or an object/);
  });
});
