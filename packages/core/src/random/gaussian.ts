import type { Rng } from './rng.js';

/**
 * A fast seeded source of standard normal draws, for noise-heavy methods such as JiT.
 *
 * JiT draws N·|batch| full-size noise images per step (1.25 M numbers for 25 draws of 64 MNIST
 * digits). Box-Muller through `Rng.normal()` takes ~75 ms for that on a 2-core machine, more
 * than PyTorch's whole MLP step, so this uses Marsaglia and Tsang's ziggurat (128 layers)
 * over an inlined sfc32 generator seeded from the run's `Rng`: about 10x faster and still
 * exactly Gaussian. The layer index and the magnitude come from disjoint bits of each 32-bit
 * word (the correlation Doornik 2005 found in the original RNOR came from sharing them).
 */
export interface GaussianSource {
  /** Overwrites `out` with i.i.d. N(0, std²) draws (scaling is free: it is folded into the table). */
  fill(out: Float32Array, std?: number): void;
}

// 128 layers: 256 rejected half as many draws but ran the hot loop 1.7x slower in V8.
const LAYERS = 128;
const BITS = 7; // log2(LAYERS): the low bits of a word pick the layer
const R = 3.442619855899; // the base strip's right edge
const V = 9.91256303526217e-3; // the area of each layer
const M = 2 ** 24; // magnitudes are signed 25-bit integers: bits 7..31 of each word

const BLOCK = 8192; // draws per fast pass, which bounds the buffer of rejected ones

const kn = new Int32Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
(() => {
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M);
  kn[1] = 0;
  wn[0] = q / M;
  wn[LAYERS - 1] = dn / M;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M;
  }
})();

export function gaussianSource(rng: Rng): GaussianSource {
  // Two sfc32 streams seeded from the run's generator: the fast path takes exactly one word
  // of `main` per draw, and rejected draws are finished, in index order, from `tail`. So the
  // k-th value is the same however the draws are split into fill() calls. Kept in typed
  // arrays and copied to locals in the hot loop: closure variables live in a heap context.
  const main = Int32Array.of(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32());
  const tail = Int32Array.of(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32());
  for (let i = 0; i < 12; i++) {
    sfc32(main);
    sfc32(tail);
  }
  const next = () => sfc32(tail);
  const uniform = () => (next() >>> 0) / 4294967296;

  // The rare (~2.8%) draws outside a layer's rectangle: wedge or tail rejection.
  const slow = (hz: number, iz: number): number => {
    for (;;) {
      const x = hz * wn[iz]!;
      if (iz === 0) {
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(1 - uniform()) / R;
          ty = -Math.log(1 - uniform());
        } while (ty + ty < tx * tx);
        return hz > 0 ? R + tx : -R - tx;
      }
      if (fn[iz]! + uniform() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
      const u = next();
      hz = u >> BITS;
      iz = u & (LAYERS - 1);
      if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
    }
  };

  const misses = new Int32Array(2 * BLOCK);
  let scaled = wn;
  let scale = 1;
  return {
    fill(out, std = 1) {
      if (std !== scale) {
        scaled = wn.map((w) => w * std);
        scale = std;
      }
      for (let start = 0; start < out.length; start += BLOCK) {
        const count = fastPass(out, start, Math.min(out.length, start + BLOCK), main, kn, scaled, misses);
        for (let j = 0; j < count; j++) {
          const word = misses[2 * j + 1]!;
          out[misses[2 * j]!] = std * slow(word >> BITS, word & (LAYERS - 1));
        }
      }
    },
  };
}

/** One step of sfc32 (Doty-Humphrey) on a [a, b, c, d] state: a 32-bit signed word. */
function sfc32(state: Int32Array): number {
  const [a, b, c, d] = state as unknown as [number, number, number, number];
  const t = (((a + b) | 0) + d) | 0;
  state[0] = b ^ (b >>> 9);
  state[1] = (c + (c << 3)) | 0;
  state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  state[3] = (d + 1) | 0;
  return t;
}

// The hot loop, as a standalone function whose tables and state are parameters: V8 compiled
// it 2-5x slower when they were module constants or closure variables. It contains no call
// (a rejected draw only records its index and word for a second pass) and takes |hz|
// without a branch: a data-dependent sign branch mispredicts half the time.
function fastPass(
  out: Float32Array,
  start: number,
  end: number,
  state: Int32Array,
  k: Int32Array,
  w: Float64Array,
  misses: Int32Array,
): number {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let count = 0;
  for (let i = start; i < end; i++) {
    // sfc32, inlined.
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const hz = t >> 7;
    const iz = t & 127;
    const sign = hz >> 31;
    if ((hz ^ sign) - sign < k[iz]!) {
      out[i] = hz * w[iz]!;
    } else {
      misses[2 * count] = i;
      misses[2 * count + 1] = t;
      count++;
    }
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  return count;
}
