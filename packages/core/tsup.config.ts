import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'node/index': 'src/node/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/vitest': 'src/testing/vitest.ts',
    // Loaded by path from node/index at run time (new Worker(new URL(...))), so it is its own entry.
    'node/replica-worker': 'src/node/replicas/replica-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/vitest': 'src/testing/vitest.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url in the CJS build, to find the worker file next to node/index.cjs.
  shims: true,
  external: [/^@tensorflow\//, 'vitest'],
});
