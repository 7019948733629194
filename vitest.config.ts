import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript sources through the
// "@unlearn/source" export condition, so `npm test` needs no build.
const conditions = ['@unlearn/source'];

const workspaceDirs = ['packages', 'internal', 'apps', 'examples', 'docs']
  .flatMap((group) =>
    group === 'docs'
      ? [group]
      : existsSync(group)
        ? readdirSync(group).map((name) => `${group}/${name}`)
        : [],
  )
  .filter((dir) => existsSync(`${dir}/package.json`));

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    // tfjs kernels are CPU-bound; two cores do not gain from more workers.
    maxWorkers: 2,
    setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: workspaceDirs.map((dir) => ({
      extends: true as const,
      test: {
        name: dir.split('/').pop()!,
        root: dir,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
  },
});
