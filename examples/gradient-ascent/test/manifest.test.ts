import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('the template’s package.json', () => {
  it('exports an ES module and a CommonJS build, each with its types, and tsup builds both', () => {
    const manifest = JSON.parse(read('package.json')) as { main: string; exports: Record<string, Record<string, unknown>> };
    expect(manifest.exports['.']).toMatchObject({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(manifest.main).toBe('./dist/index.cjs');
    expect(read('tsup.config.ts')).toMatch(/format: \['esm', 'cjs'\]/);
  });
});
