import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'redis/index': 'src/redis/index.ts',
    // BullMQ forks a child that imports this file by path, so it must be a file of its own.
    'redis/processor': 'src/redis/processor.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // One tfjs engine and one method registry with the caller; bullmq and ioredis are optional peers.
  external: [/^@tensorflow\//, /^@unlearn\//, 'bullmq', 'ioredis'],
  shims: true,
});
