import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The CLI must share one tfjs engine with @unlearn/core and the method packages; bundling a
  // second copy of tfjs-core or tfjs-layers would give it an engine with no backend.
  external: [/^@tensorflow\//, /^@unlearn\//],
});
