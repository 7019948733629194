import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module an entry reaches through static relative imports, and the bare packages it imports. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

describe('@unlearn/core/testing', () => {
  it('never imports vitest (runConformance must load in any runner); @unlearn/core/vitest does', () => {
    const testing = reach(src('testing/index.ts'));
    expect(testing.files.size).toBeGreaterThan(5);
    expect([...testing.packages].filter((p) => p.startsWith('vitest'))).toEqual([]);
    expect(reach(src('testing/vitest.ts')).packages.has('vitest')).toBe(true);
  });
});
