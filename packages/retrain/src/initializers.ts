import type { Rng } from '@unlearn/core';

/** A serialised tfjs-layers initializer, as found in a layer's getConfig(). */
export interface InitializerConfig {
  className: string;
  config?: Record<string, unknown>;
}

function fans(shape: readonly number[]): [number, number] {
  // tfjs-layers computeFans, channelsLast.
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  if (shape.length >= 3 && shape.length <= 5) {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
  }
  const root = Math.sqrt(shape.reduce((a, b) => a * b, 1));
  return [root, root];
}

function truncatedNormal(rng: Rng, mean: number, stddev: number): number {
  // Redrawn beyond two standard deviations, like tf.truncatedNormal.
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
}

function varianceScaling(shape: readonly number[], rng: Rng, c: Record<string, unknown>, out: Float32Array): void {
  const [fanIn, fanOut] = fans(shape);
  const mode = (c.mode as string | undefined) ?? 'fanIn';
  const denom = mode === 'fanOut' ? fanOut : mode === 'fanAvg' ? (fanIn + fanOut) / 2 : fanIn;
  const scale = ((c.scale as number | undefined) ?? 1) / Math.max(1, denom);
  if ((c.distribution as string | undefined) === 'uniform') {
    const limit = Math.sqrt(3 * scale);
    for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * limit;
  } else {
    // tfjs draws 'normal' from a truncated normal with stddev √scale (no Keras 0.88 correction).
    const stddev = Math.sqrt(scale);
    for (let i = 0; i < out.length; i++) out[i] = truncatedNormal(rng, 0, stddev);
  }
}

function orthogonal(shape: readonly number[], rng: Rng, gain: number, out: Float32Array): void {
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const cols = shape[shape.length - 1]!;
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  // Orthonormal columns of a [long, short] Gaussian matrix by modified Gram-Schmidt: the Q of its
  // QR factorisation with a positive R diagonal, which is what tfjs gets after its sign fix.
  const q = Array.from({ length: short }, () => Float64Array.from({ length: long }, () => rng.normal()));
  for (let j = 0; j < short; j++) {
    const col = q[j]!;
    for (let k = 0; k < j; k++) {
      const prev = q[k]!;
      let dot = 0;
      for (let i = 0; i < long; i++) dot += prev[i]! * col[i]!;
      for (let i = 0; i < long; i++) col[i]! -= dot * prev[i]!;
    }
    let sq = 0;
    for (let i = 0; i < long; i++) sq += col[i]! * col[i]!;
    const norm = Math.sqrt(sq);
    for (let i = 0; i < long; i++) col[i]! /= norm;
  }
  // Element (r, c) of the [rows, cols] result; transposed when the matrix is wide.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = rows >= cols ? q[c]![r]! : q[r]![c]!;
      out[r * cols + c] = gain * value;
    }
  }
}

const GLOROT_UNIFORM: InitializerConfig = { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } };

/** Named classes serialise as VarianceScaling in tfjs 4, but older configs may carry the alias. */
const ALIASES: Record<string, InitializerConfig> = {
  GlorotUniform: GLOROT_UNIFORM,
  GlorotNormal: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'normal' } },
  HeUniform: { className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'uniform' } },
  HeNormal: { className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'normal' } },
  LeCunUniform: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanIn', distribution: 'uniform' } },
  LeCunNormal: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanIn', distribution: 'normal' } },
};

/**
 * Draws a fresh value for a weight of `shape` from its layer's initializer config with a seeded
 * generator (tfjs-layers initialisers draw from an unseeded one). Unknown initializers fall back to
 * Glorot-uniform and are reported through `onUnknown`.
 */
export function drawInitial(
  init: InitializerConfig | undefined,
  shape: readonly number[],
  rng: Rng,
  onUnknown: (className: string) => void,
): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const resolved = init ? (ALIASES[init.className] ?? init) : undefined;
  const c = resolved?.config ?? {};
  switch (resolved?.className) {
    case 'Zeros':
      return out;
    case 'Ones':
      return out.fill(1);
    case 'Constant':
      return out.fill((c.value as number | undefined) ?? 0);
    case 'RandomUniform': {
      const lo = (c.minval as number | undefined) ?? -0.05;
      const hi = (c.maxval as number | undefined) ?? 0.05;
      for (let i = 0; i < size; i++) out[i] = lo + rng.next() * (hi - lo);
      return out;
    }
    case 'RandomNormal': {
      const mean = (c.mean as number | undefined) ?? 0;
      const sd = (c.stddev as number | undefined) ?? 0.05;
      for (let i = 0; i < size; i++) out[i] = mean + sd * rng.normal();
      return out;
    }
    case 'TruncatedNormal': {
      const mean = (c.mean as number | undefined) ?? 0;
      const sd = (c.stddev as number | undefined) ?? 0.05;
      for (let i = 0; i < size; i++) out[i] = truncatedNormal(rng, mean, sd);
      return out;
    }
    case 'VarianceScaling':
      varianceScaling(shape, rng, c, out);
      return out;
    case 'Orthogonal':
      if (shape.length >= 2) {
        orthogonal(shape, rng, (c.gain as number | undefined) ?? 1, out);
        return out;
      }
      break;
    case 'Identity':
      if (shape.length === 2 && shape[0] === shape[1]) {
        const gain = (c.gain as number | undefined) ?? 1;
        for (let i = 0; i < shape[0]!; i++) out[i * shape[0]! + i] = gain;
        return out;
      }
      break;
  }
  onUnknown(init?.className ?? '(none)');
  varianceScaling(shape, rng, GLOROT_UNIFORM.config!, out);
  return out;
}
