/** A dense row-major array read from a data file, before it becomes a tensor. */
export interface NumericArray {
  shape: number[];
  /** float64 and int64 sources are converted: float64 to float32, int64 to int32. */
  data: Float32Array | Int32Array;
  /** Where it came from, for error messages. */
  source: string;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`;
}
