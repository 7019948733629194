import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNSIR_OPTIONS, UNSIR_PRESETS } from '../src/index.js';

// docs/algorithms/unsir.md is the specification: its options table must state the defaults the code uses.
const page = readFileSync(new URL('../../../docs/algorithms/unsir.md', import.meta.url), 'utf8');

const cell = (key: string) => page.match(new RegExp(`^\\| \`${key}\` \\| ([^|]+) \\|`, 'm'))?.[1]?.trim().replace(/[`']/g, '');

describe('docs/algorithms/unsir.md', () => {
  it.each(Object.entries(DEFAULT_UNSIR_OPTIONS))('states the default of %s', (key, value) => {
    const text = cell(key);
    expect(text, `no row for ${key}`).toBeDefined();
    expect(typeof value === 'number' ? Number(text) : text).toBe(typeof value === 'number' ? value : String(value));
  });

  it('lists every preset', () => {
    for (const name of Object.keys(UNSIR_PRESETS)) expect(page).toMatch(new RegExp(`^\\| \`${name}\``, 'm'));
  });
});
