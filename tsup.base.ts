import type { Options } from 'tsup';

/**
 * The build every published package shares: ESM and CJS with types and source maps for ES2022,
 * `dist/` cleared first. A package's `tsup.config.ts` passes its entries and what differs.
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...overrides,
  };
}
