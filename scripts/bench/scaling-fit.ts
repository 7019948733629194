/** Shapes of the scaling bench's results and the straight-line fit its predictions come from. */

export type ScalingMethod = 'jit' | 'ssd' | 'lf-ssd';
export type ScalingModelKey = 'mnist' | 'mobilenet' | 'resnet';

export interface Load {
  before: number;
  after: number;
}

/** One timed unlearn() call over a forget set of `size` samples. */
export interface Point {
  size: number;
  ms: number;
  /** Core's own timeMs: the method alone, without the request checks and the model copy. */
  methodMs: number;
  load: Load;
  /** The 1-minute load exceeded the limit before or after the call. */
  underLoad: boolean;
  /** What the method reported about its threads (2 asked for). */
  threads?: unknown;
  /** The run ended in the runner's NaN check (DIVERGED) after running to its end; the weights were restored. */
  diverged?: boolean;
}

export interface Series {
  method: ScalingMethod;
  model: ScalingModelKey;
  /** The method's own batch size: a prefix of whole batches is what a cut-short cell measures. */
  batchSize: number;
  /** JiT's noise draws per sample. */
  nSamples?: number;
  /** Every measured call, in the order run (cell sizes and any cut-short prefix). */
  points: Point[];
  error?: string;
}

export interface ImportanceTiming {
  samples: number;
  batchSize?: number;
  ms: number;
  load: Load;
}

/** What one child process (one model) measured. */
export interface ModelResult {
  model: ScalingModelKey;
  label: string;
  trainableParams: number;
  forwardMacs: number;
  /** Training-set importances, computed once per kind and passed to every SSD / LF-SSD cell. */
  trainImportance: {
    fisher?: ImportanceTiming;
    'loss-free'?: ImportanceTiming;
  };
  series: Series[];
  wallS: number;
  error?: string;
}

export interface Fit {
  /** Intercept, ms: what a call costs whatever |Df| (copying the model, checking importances, dampening). */
  a: number;
  /** Slope, ms per forget sample. */
  b: number;
  /** Sizes of the measured points it was fitted from. */
  from: number[];
}

/** Least squares of ms = a + b·size over the measured points; one point gives a line through the origin. */
export function fitLine(points: readonly Pick<Point, 'size' | 'ms'>[]): Fit | undefined {
  const from = points.map((p) => p.size);
  if (points.length === 0) return undefined;
  if (points.length === 1) return { a: 0, b: points[0]!.ms / points[0]!.size, from };
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.size, 0) / n;
  const my = points.reduce((s, p) => s + p.ms, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.size - mx) ** 2, 0);
  if (sxx === 0) return { a: 0, b: my / mx, from };
  const b = points.reduce((s, p) => s + (p.size - mx) * (p.ms - my), 0) / sxx;
  return { a: my - b * mx, b, from };
}

export const predict = (fit: Fit, size: number) => fit.a + fit.b * size;
