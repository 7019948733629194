import { describe, expect, it } from 'vitest';
import { CliError, parseNpy } from '../src/index.js';
import { npyBytes } from './helpers.js';

function failure(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('parseNpy', () => {
  it('reads little-endian float32 with its shape', () => {
    const a = parseNpy(npyBytes('<f4', [2, 3], [0.5, -1.25, 3, 4, 5, 6.75]), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([0.5, -1.25, 3, 4, 5, 6.75]);
  });

  it('converts float64 to float32', () => {
    const a = parseNpy(npyBytes('<f8', [3], [0.1, 1e-3, -2.5]), 'a.npy');
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([Math.fround(0.1), Math.fround(1e-3), -2.5]);
  });

  it('converts int64 to int32 and refuses values that do not fit', () => {
    const a = parseNpy(npyBytes('<i8', [4], [0, 9, -3, 2147483647]), 'labels.npy');
    expect(a.data).toBeInstanceOf(Int32Array);
    expect(Array.from(a.data)).toEqual([0, 9, -3, 2147483647]);
    const big = failure(() => parseNpy(npyBytes('<i8', [1], [2 ** 40]), 'big.npy'));
    expect(big.message).toMatch(/big\.npy: int64 value 1099511627776 at index 0 does not fit in int32/);
  });

  it('reads uint8, int32 and bool', () => {
    expect(Array.from(parseNpy(npyBytes('|u1', [2, 2], [0, 7, 255, 1]), 'u.npy').data)).toEqual([0, 7, 255, 1]);
    expect(Array.from(parseNpy(npyBytes('|u1', [1], [200], { descrOverride: '<u1' }), 'u.npy').data)).toEqual([200]);
    expect(Array.from(parseNpy(npyBytes('<i4', [2], [-5, 5]), 'i.npy').data)).toEqual([-5, 5]);
    expect(Array.from(parseNpy(npyBytes('|b1', [3], [1, 0, 1]), 'b.npy').data)).toEqual([1, 0, 1]);
  });

  it('reads format versions 2 and 3 (4-byte header length)', () => {
    for (const version of [2, 3] as const) {
      const a = parseNpy(npyBytes('<f4', [1, 2], [1.5, 2.5], { version }), 'v.npy');
      expect(a.shape).toEqual([1, 2]);
      expect(Array.from(a.data)).toEqual([1.5, 2.5]);
    }
  });

  it('reads 0-d and empty arrays', () => {
    expect(parseNpy(npyBytes('<f4', [], [4]), 's.npy')).toMatchObject({ shape: [] });
    expect(parseNpy(npyBytes('<f4', [0, 3], []), 'e.npy').shape).toEqual([0, 3]);
  });

  it('refuses Fortran order with the fix', () => {
    const e = failure(() => parseNpy(npyBytes('<f4', [2, 2], [1, 2, 3, 4], { fortran: true }), 'f.npy'));
    expect(e.code).toBe('UNSUPPORTED_LAYOUT');
    expect(e.message).toMatch(/f\.npy is stored in Fortran \(column-major\) order.*np\.ascontiguousarray/);
  });

  it('refuses big-endian and other dtypes, naming the supported ones', () => {
    const e = failure(() => parseNpy(npyBytes('<f4', [1], [1], { descrOverride: '>f4' }), 'be.npy'));
    expect(e.code).toBe('UNSUPPORTED_DTYPE');
    expect(e.message).toMatch(/be\.npy has dtype '>f4'; supported: <f4 <f8 <i4 <i8 \|u1 <u1 \|b1/);
  });

  it('rejects missing magic, truncated data and a bad header', () => {
    expect(failure(() => parseNpy(new TextEncoder().encode('hello world!'), 'x.npy')).message).toMatch(/x\.npy is not a valid \.npy file: .*magic/);
    const full = npyBytes('<f4', [2, 2], [1, 2, 3, 4]);
    const cut = failure(() => parseNpy(full.subarray(0, full.length - 3), 'cut.npy'));
    expect(cut.code).toBe('CORRUPT_FILE');
    expect(cut.message).toMatch(/needs 16 data bytes but the file has 13/);
    const header = failure(() => parseNpy(full.subarray(0, 40), 'h.npy'));
    expect(header.message).toMatch(/header is truncated|descr/);
    const extra = new Uint8Array(full.length + 4);
    extra.set(full);
    expect(failure(() => parseNpy(extra, 'long.npy')).message).toMatch(/needs 16 data bytes but the file has 20/);
  });
});
