import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEGGRAD_PLUS_OPTIONS, NEGGRAD_PLUS_PRESETS } from '../src/index.js';

// docs/algorithms/neggrad-plus.md is the specification: its options table must state the defaults the code uses.
const page = readFileSync(new URL('../../../docs/algorithms/neggrad-plus.md', import.meta.url), 'utf8');

const cell = (key: string) => page.match(new RegExp(`^\\| \`${key}\` \\| ([^|]+) \\|`, 'm'))?.[1]?.trim().replace(/[`']/g, '');

describe('docs/algorithms/neggrad-plus.md', () => {
  it.each(Object.entries(DEFAULT_NEGGRAD_PLUS_OPTIONS))('states the default of %s', (key, value) => {
    const text = cell(key);
    expect(text, `no row for ${key}`).toBeDefined();
    expect(typeof value === 'number' ? Number(text) : text).toBe(typeof value === 'number' ? value : String(value));
  });

  it('lists every preset', () => {
    for (const name of Object.keys(NEGGRAD_PLUS_PRESETS)) expect(page).toMatch(new RegExp(`^\\| \`${name}\``, 'm'));
  });
});
