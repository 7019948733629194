import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  sourcemap: true,
  target: 'es2022',
  // The CLI must share one tfjs engine with @unlearn/core and the method packages; bundling a
  // second copy of tfjs-core or tfjs-layers would give it an engine with no backend.
  external: [/^@tensorflow\//, /^@unlearn\//],
};

export default defineConfig((): Options[] => {
  // tsup runs the two builds below at the same time, so neither may clean dist/ while the other
  // writes there: it is cleared once, before both.
  rmSync('dist', { recursive: true, force: true });
  return [
    // The command (bin.ts awaits at top level, so ESM only) shares its chunks with the ESM API.
    { ...shared, entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'worker-setup': 'src/worker-setup.ts' }, format: ['esm'], dts: { entry: { index: 'src/index.ts' } } },
    // The API for require(); import.meta.url (versions.ts) is shimmed there.
    { ...shared, entry: { index: 'src/index.ts' }, format: ['cjs'], dts: { entry: { index: 'src/index.ts' } }, shims: true },
  ];
});
