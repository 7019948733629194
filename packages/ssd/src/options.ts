import { defineOptions, isBatchSource, isNumberIn, option, type OptionsSchema } from '@unlearn/core';
import type { GuardOptions } from './guard.js';
import { isLayerFilter, type LayerFilter } from './layer-filter.js';
import { LF_SSD_PRESETS, SSD_PRESETS, type DampeningPreset } from './presets.js';

/** Options shared by SSD and LF-SSD: they differ only in the importance they compute. */
export interface SsdOptions {
  /**
   * Selection weighting α: a parameter is selected iff I_forget > α · I_train (strict).
   * 'auto' picks α from the importances (Adaptive SSD, `autoAlpha`); use it with λ 1.
   */
  alpha: number | 'auto';
  /** Dampening constant λ in β = min((λ · I_train / I_forget)^exponent, cap). */
  lambda: number;
  exponent: number;
  /** Upper bound on β (the reference's misnamed `lower_bound`); 1 keeps parameters from growing. */
  cap: number;
  /** Mini-batch size for both importances; importance values depend on it. */
  batchSize: number;
  /** Restricts which variables may be dampened. */
  layers?: LayerFilter;
  /**
   * Threads for the importance passes, the calling one included (Node, LayersModels, in-memory
   * data); see README. Unset: every core (at most 4) from `AUTO_MIN_SAMPLES` samples, else 1.
   */
  threads?: number;
  guard?: GuardOptions;
  /** A named setting (`SSD_PRESETS` / `LF_SSD_PRESETS`) whose α, λ and batch size fill the unset options. */
  preset?: string;
}

export type LfSsdOptions = SsdOptions;

/** R2's full-class ResNet18 setting (docs/algorithms/ssd.md, Options and where the defaults come from). */
export const SSD_DEFAULTS = { alpha: 10, lambda: 1, exponent: 1, cap: 1, batchSize: 64 } as const;

const guardField = option.custom<GuardOptions>({
  requirement: "an object { maxAccuracyDrop, action, validation? }",
  check(g) {
    if (typeof g !== 'object' || g === null) return false;
    const { maxAccuracyDrop, action, validation } = g as Partial<GuardOptions>;
    if (!isNumberIn(maxAccuracyDrop, { min: 0, max: 1 })) {
      return { path: 'maxAccuracyDrop', requirement: 'a fraction between 0 and 1 (0.1 = 10 points)', value: maxAccuracyDrop };
    }
    if (action !== 'report' && action !== 'refuse') return { path: 'action', requirement: '"report" or "refuse"', value: action };
    if (validation !== undefined && !(isBatchSource(validation) || typeof validation === 'object')) {
      return { path: 'validation', requirement: 'a Dataset', value: typeof validation };
    }
    return undefined;
  },
  // The validation data is the request's business; the record keeps the rule.
  toJson: (g) => ({ maxAccuracyDrop: g.maxAccuracyDrop, action: g.action }),
});

const layersField = option.custom<LayerFilter>({
  requirement: 'an array of name substrings / RegExps, or a predicate',
  check: (v) => isLayerFilter(v) || { requirement: 'an array of name substrings / RegExps, or a predicate', value: String(v) },
  toJson: (l) => (typeof l === 'function' ? '(predicate)' : l.map((f) => (typeof f === 'string' ? f : String(f)))),
});

/** The options schema of a dampening method (SSD, LF-SSD, or a plugin built on them), with its presets. */
export function dampeningOptions(method: string, presets: Readonly<Record<string, DampeningPreset>>): OptionsSchema<SsdOptions> {
  return defineOptions<SsdOptions>({
    method,
    fields: {
      alpha: option.orAuto(option.number({ min: 0 })),
      lambda: option.number({ min: 0 }),
      exponent: option.number({ above: 0 }),
      cap: option.number({ min: 0 }),
      batchSize: option.count(),
      layers: layersField,
      threads: option.threads(),
      guard: guardField,
      preset: option.oneOf(Object.keys(presets)),
    },
    defaults: { ...SSD_DEFAULTS },
    presets,
  });
}

export const SSD_OPTIONS = dampeningOptions('ssd', SSD_PRESETS);
export const LF_SSD_OPTIONS = dampeningOptions('lf-ssd', LF_SSD_PRESETS);
