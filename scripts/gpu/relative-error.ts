/** ‖a − b‖₂ / ‖b‖₂ over every value of a model's weights, b the reference backend's. */
export function relativeError(a: Float32Array[], b: Float32Array[]): number {
  let num = 0;
  let den = 0;
  a.forEach((arr, i) => arr.forEach((v, j) => {
    const w = b[i]![j]!;
    num += (v - w) ** 2;
    den += w * w;
  }));
  return Math.sqrt(num / den);
}
