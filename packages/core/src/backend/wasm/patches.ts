import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { f32 } from './kernel-utils.js';
import type { Scratch } from './kernel-utils.js';

/**
 * Patch (im2col) matrices for Conv2DBackpropFilter, built straight into the wasm heap. They are
 * stored transposed, one row per filter tap and input channel, so that the filter gradient is
 * the plain product patchesᵀ · dy.
 */

/** Geometry of the im2col gather; names follow backend_util.Conv2DInfo. */
export interface PatchGeometry {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Output rows [lo, hi) whose input row `o * stride + offset` lies inside [0, size). */
function validRange(offset: number, stride: number, size: number, out: number): [number, number] {
  const lo = clamp(Math.ceil(-offset / stride), 0, out);
  return [lo, clamp(Math.ceil((size - offset) / stride), lo, out)];
}

/**
 * Writes the transposed patch matrix: row (kh, kw, c), column (b, oh, ow). With `src` laid out
 * [C, B, H, W] the innermost loop reads along W, and the product with dy [B*OH*OW, CO] needs no
 * transposed operand. The general route; stripPatches is faster where it applies.
 */
export function im2colTransposed(src: Float32Array, dst: Float32Array, g: PatchGeometry): void {
  const n = g.batch * g.outH * g.outW;
  const planeSize = g.inH * g.inW;
  let o = 0;
  for (let kh = 0; kh < g.filterH; kh++) {
    const rowOff = kh * g.dilationH - g.padTop;
    const [ohLo, ohHi] = validRange(rowOff, g.strideH, g.inH, g.outH);
    for (let kw = 0; kw < g.filterW; kw++) {
      const colOff = kw * g.dilationW - g.padLeft;
      const [owLo, owHi] = validRange(colOff, g.strideW, g.inW, g.outW);
      for (let c = 0; c < g.channels; c++) {
        for (let b = 0; b < g.batch; b++) {
          const plane = (c * g.batch + b) * planeSize;
          for (let oh = 0; oh < g.outH; oh++) {
            if (oh < ohLo || oh >= ohHi) {
              for (let ow = 0; ow < g.outW; ow++) dst[o++] = 0;
              continue;
            }
            for (let ow = 0; ow < owLo; ow++) dst[o++] = 0;
            let p = plane + (oh * g.strideH + rowOff) * g.inW + owLo * g.strideW + colOff;
            for (let ow = owLo; ow < owHi; ow++, p += g.strideW) dst[o++] = src[p]!;
            for (let ow = owHi; ow < g.outW; ow++) dst[o++] = 0;
          }
        }
      }
    }
  }
  if (o !== dst.length || dst.length !== n * g.filterH * g.filterW * g.channels) {
    throw new Error('im2col wrote an unexpected number of elements');
  }
}

export function geometryOf(info: backend_util.Conv2DInfo): PatchGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    channels: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    filterH: info.filterHeight,
    filterW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Copies [planes, h, w, ch] into a zeroed [planes, h + top + bottom, w + left + right, ch], one
 * copyWithin per row: ~5x faster than wasm's PadV2 here, which moves element by element.
 */
function padSpatial(
  s: Scratch,
  x: TensorInfo,
  [planes, h, w, ch]: [number, number, number, number],
  [top, bottom, left, right]: [number, number, number, number],
): TensorInfo {
  if (!(top || bottom || left || right)) return x;
  const hp = h + top + bottom;
  const wp = w + left + right;
  const out = s.alloc([planes, hp, wp, ch]);
  const src = f32(s.backend, x);
  const dst = f32(s.backend, out);
  const heap = new Float32Array(src.buffer);
  const from0 = src.byteOffset / 4;
  const to0 = dst.byteOffset / 4;
  const row = w * ch;
  dst.fill(0);
  for (let p = 0; p < planes; p++) {
    for (let r = 0; r < h; r++) {
      const from = from0 + (p * h + r) * row;
      heap.copyWithin(to0 + ((p * hp + r + top) * wp + left) * ch, from, from + row);
    }
  }
  return out;
}

/** Estimated ns per element, wasm SIMD: JS element copy, copyWithin, XNNPACK packing. */
const COPY_NS = 2.7;
const RUN_NS = 0.3;
const PACK_NS = 3.7;

/**
 * Stride-1 convolutions can take a faster route than im2colTransposed. With x padded to
 * [C, B, Hp, Wp], the patch row of tap (kh, kw, c) for batch entry b, taken over all Wp columns
 * rather than the outW valid ones, is one contiguous run of outH*Wp input values, and dy gets
 * zero columns to match. Copying MNIST conv2's 9216 runs takes ~0.3 ms against ~3 ms element
 * by element, for ~18% more matmul work and a larger dy to pack; with few patch rows (one
 * input channel) that trade loses, so the cheaper one by estimate is taken.
 */
export function stripIsCheaper(info: backend_util.Conv2DInfo): boolean {
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return false;
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const wide = info.batchSize * info.outHeight * (info.inWidth + info.padInfo.left + info.padInfo.right);
  const elementwise = rows * n * COPY_NS + n * info.outChannels * PACK_NS;
  const strips = rows * wide * RUN_NS + wide * info.outChannels * (RUN_NS + PACK_NS);
  return strips < elementwise;
}

/**
 * Returns [patchesᵀ, dy as rows] for stripIsCheaper's route. Columns past outW read whatever
 * follows in x (finite unless x holds Inf/NaN, where the result may differ from cpu's).
 */
export function stripPatches(
  s: Scratch,
  xc: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): [TensorInfo, TensorInfo] {
  const { top, bottom, left, right } = info.padInfo;
  const { batchSize: nb, inChannels: nc, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const hp = info.inHeight + top + bottom;
  const wp = info.inWidth + left + right;
  const padded = padSpatial(s, xc, [nc * nb, info.inHeight, info.inWidth, 1], [top, bottom, left, right]);
  const dyWide = padSpatial(s, dy, [nb, oh, ow, co], [0, 0, 0, wp - ow]);
  const run = oh * wp;
  const patches = s.alloc([info.filterHeight * info.filterWidth * nc, nb * run]);
  const src = f32(s.backend, padded);
  const dst = f32(s.backend, patches);
  const heap = new Float32Array(src.buffer);
  const srcBase = src.byteOffset / 4;
  const plane = hp * wp;
  let to = dst.byteOffset / 4;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const shift = kh * info.dilationHeight * wp + kw * info.dilationWidth;
      // The last row's run may overhang its plane; those columns are never valid outputs.
      const len = Math.min(run, plane - shift);
      for (let c = 0; c < nc; c++) {
        for (let b = 0; b < nb; b++) {
          const from = srcBase + (c * nb + b) * plane + shift;
          heap.copyWithin(to, from, from + len);
          if (len < run) heap.fill(0, to + len, to + run);
          to += run;
        }
      }
    }
  }
  return [patches, s.reshape(dyWide, [nb * run, co])];
}

