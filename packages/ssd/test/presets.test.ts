import { describe, expect, it } from 'vitest';
import { isUnlearnError } from '@unlearn/core';
import { lfSsd } from '../../lf-ssd/src/index.js';
import { LF_SSD_PRESETS, SSD_PRESETS, ssd } from '../src/index.js';

describe('presets', () => {
  it('fill alpha, lambda and batch size, explicit options win', () => {
    expect(ssd({ preset: 'mnist-cnn' }).options).toMatchObject({ alpha: 5, lambda: 0.1, batchSize: 64, preset: 'mnist-cnn' });
    expect(ssd({ preset: 'mnist-cnn', lambda: 0.5 }).options).toMatchObject({ alpha: 5, lambda: 0.5 });
    expect(ssd({ preset: 'r1-random-vgg' }).options).toMatchObject({ alpha: 10, lambda: 4, batchSize: 128 });
    expect(lfSsd({ preset: 'mnist-cnn' }).options).toMatchObject({ alpha: LF_SSD_PRESETS['mnist-cnn'].alpha, lambda: 2 });
    expect(ssd().options).toMatchObject({ alpha: 10, lambda: 1 });
  });

  it('say where every number comes from', () => {
    for (const p of [...Object.values(SSD_PRESETS), ...Object.values(LF_SSD_PRESETS)]) expect(p.source.length).toBeGreaterThan(10);
  });

  it('reject an unknown preset by listing the known ones (validation, before any work)', () => {
    let error: unknown;
    try {
      lfSsd({ preset: 'r1-random-vgg' }).validate?.();
    } catch (e) {
      error = e;
    }
    expect(isUnlearnError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toMatch(/lf-ssd: option "preset" must be one of 'mnist-cnn', 'ssd-default'/);
  });
});
