// The GPU bundle has no vitest; the conformance checks run through runConformance instead.
export const describe = (): void => {};
export const it = (): void => {};
export const expect = (): never => {
  throw new Error('vitest is not available in the GPU bundle');
};
