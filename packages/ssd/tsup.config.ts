import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'node/index': 'src/node/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@unlearn\//],
});
