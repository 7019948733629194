import { badInput } from './exit-codes.js';
import type { NumericArray } from './numeric-array.js';
import { elementCount, formatShape } from './numeric-array.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Kind = 'f4' | 'f8' | 'i4' | 'i8' | 'u1' | 'b1';
const ITEM_BYTES: Record<Kind, number> = { f4: 4, f8: 8, i4: 4, i8: 8, u1: 1, b1: 1 };
// Byte order '|' means "not applicable" and only fits one-byte types.
const DESCR: Record<string, Kind> = {
  '<f4': 'f4',
  '<f8': 'f8',
  '<i4': 'i4',
  '<i8': 'i8',
  '|u1': 'u1',
  '<u1': 'u1',
  '|b1': 'b1',
};

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function corrupt(source: string, problem: string) {
  return badInput('CORRUPT_FILE', `${source} is not a valid .npy file: ${problem}`);
}

/** Parses the Python dict literal NumPy writes, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }. */
function parseHeader(text: string, source: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw corrupt(source, `header has no descr/fortran_order/shape (${JSON.stringify(text.trim().slice(0, 120))})`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      // Plain digits as NumPy writes them (Python 2 added an L); 1e300 or 0x10 would pass Number() but no
      // array has such a dimension, and one beyond 2^53 loses precision.
      const n = /^\d+L?$/.test(s) ? Number(s.replace(/L$/, '')) : NaN;
      if (!Number.isSafeInteger(n)) throw corrupt(source, `bad dimension "${s}" in shape (${shapeText})`);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

/**
 * Reads a NumPy .npy file (format versions 1, 2 and 3), C order, little-endian float32/64,
 * int32/64, uint8 or bool. Other layouts are refused with a message saying how to convert.
 */
export function parseNpy(bytes: Uint8Array, source: string): NumericArray {
  if (bytes.byteLength < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw corrupt(source, 'it does not start with the \\x93NUMPY magic string');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.byteLength < 12) throw corrupt(source, 'the header is truncated');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw corrupt(source, `unsupported format version ${major}.${bytes[7]} (versions 1, 2 and 3 are read)`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.byteLength) throw corrupt(source, 'the header is truncated');
  const decoder = new TextDecoder(major === 3 ? 'utf-8' : 'latin1');
  const header = parseHeader(decoder.decode(bytes.subarray(headerStart, dataStart)), source);

  if (header.fortranOrder) {
    throw badInput(
      'UNSUPPORTED_LAYOUT',
      `${source} is stored in Fortran (column-major) order, which is not supported; save it with np.save(path, np.ascontiguousarray(a))`,
    );
  }
  // hasOwn: a descr of 'constructor' or '__proto__' must not find Object.prototype's members.
  const kind = Object.hasOwn(DESCR, header.descr) ? DESCR[header.descr] : undefined;
  if (!kind) {
    throw badInput(
      'UNSUPPORTED_DTYPE',
      `${source} has dtype '${header.descr}'; supported: ${Object.keys(DESCR).join(' ')} (convert with a.astype('<f4') for data or a.astype('<i4') for labels)`,
    );
  }
  const count = elementCount(header.shape);
  const expected = count * ITEM_BYTES[kind];
  const available = bytes.byteLength - dataStart;
  if (available !== expected) {
    throw corrupt(
      source,
      `shape ${formatShape(header.shape)} of '${header.descr}' needs ${expected} data bytes but the file has ${available} (truncated or corrupted?)`,
    );
  }
  return { shape: header.shape, data: decode(kind, bytes.subarray(dataStart), count, source), source };
}

function decode(kind: Kind, raw: Uint8Array, count: number, source: string): Float32Array | Int32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (kind) {
    case 'f4': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case 'f8': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    case 'i4': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    }
    case 'i8': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) {
          throw badInput('UNSUPPORTED_DTYPE', `${source}: int64 value ${v} at index ${i} does not fit in int32`);
        }
        out[i] = Number(v);
      }
      return out;
    }
    case 'u1':
    case 'b1':
      return Int32Array.from(raw.subarray(0, count), (b) => (kind === 'b1' ? (b === 0 ? 0 : 1) : b));
  }
}
