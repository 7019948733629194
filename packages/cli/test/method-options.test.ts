import { describe, expect, it } from 'vitest';
import { defineOptions, option } from '@unlearn/core';
import { applySets, parseSetValue } from '../src/index.js';

describe('--set parsing', () => {
  it('parses JSON values and keeps everything else as a string', () => {
    expect(parseSetValue('0.5')).toBe(0.5);
    expect(parseSetValue('true')).toBe(true);
    expect(parseSetValue('[1,2]')).toEqual([1, 2]);
    expect(parseSetValue('"7"')).toBe('7');
    expect(parseSetValue('sgd')).toBe('sgd');
    expect(parseSetValue('')).toBe('');
  });

  it('builds nested objects from dotted keys over the --options base', () => {
    const base = { lr: 0.1, guard: { action: 'report' } };
    expect(applySets(base, ['guard.maxAccuracyDrop=0.05', 'schedule.kind=constant', 'lr=0.2'])).toEqual({
      lr: 0.2,
      guard: { action: 'report', maxAccuracyDrop: 0.05 },
      schedule: { kind: 'constant' },
    });
    expect(base).toEqual({ lr: 0.1, guard: { action: 'report' } });
    expect(applySets({}, ['a=b=c'])).toEqual({ a: 'b=c' });
  });

  it('rejects pairs without a key', () => {
    expect(() => applySets({}, ['noequals'])).toThrow(/--set expects key=value/);
    expect(() => applySets({}, ['a..b=1'])).toThrow(/empty part/);
  });

  it('[security] --set __proto__.polluted=1 (or constructor.prototype.…, guard.__proto__.x, prototype) → refused as not an option name; Object.prototype untouched', () => {
    for (const key of ['__proto__.polluted', 'constructor.prototype.polluted', 'guard.__proto__.x', 'prototype']) {
      expect(() => applySets({}, [`${key}=1`]), key).toThrow(/is not an option name/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads top-level values by the method's schema when it has one", () => {
    const ssdLike = defineOptions<{ alpha: number | 'auto'; preset?: string }>({
      method: 'x',
      fields: { alpha: option.orAuto(option.number()), preset: option.oneOf(['1', '2']) },
      defaults: { alpha: 1 },
      presets: { '1': {}, '2': {} },
    });
    expect(applySets({}, ['alpha=auto', 'preset=1'], ssdLike)).toEqual({ alpha: 'auto', preset: '1' });
    expect(applySets({}, ['preset=1'])).toEqual({ preset: 1 });
  });
});
