import { invalidOption, isBatchSource } from '@unlearn/core';
import type { GuardOptions } from './guard.js';
import { isLayerFilter, type LayerFilter } from './layer-filter.js';
import { SSD_PRESETS, type DampeningPreset } from './presets.js';

/** Options shared by SSD and LF-SSD: they differ only in the importance they compute. */
export interface SsdOptions {
  /** Selection weighting α: a parameter is selected iff I_forget > α · I_train (strict). */
  alpha: number;
  /** Dampening constant λ in β = min((λ · I_train / I_forget)^exponent, cap). */
  lambda: number;
  exponent: number;
  /** Upper bound on β (the reference's misnamed `lower_bound`); 1 keeps parameters from growing. */
  cap: number;
  /** Mini-batch size for both importances; importance values depend on it. */
  batchSize: number;
  /** Restricts which variables may be dampened. */
  layers?: LayerFilter;
  /** Worker threads for the importance passes (Node); see README. Default: cores, at most 4. */
  workers?: number;
  guard?: GuardOptions;
  /** A named setting (`SSD_PRESETS` / `LF_SSD_PRESETS`) whose α, λ and batch size fill the unset options. */
  preset?: string;
}

export type LfSsdOptions = SsdOptions;

/** ALGORITHMS.md §2.4 / §10: R2's full-class ResNet18 setting. */
export const SSD_DEFAULTS = { alpha: 10, lambda: 1, exponent: 1, cap: 1, batchSize: 64 } as const;

export function resolveOptions(
  options: Partial<SsdOptions> = {},
  presets: Readonly<Record<string, DampeningPreset>> = SSD_PRESETS,
  method = 'ssd',
): SsdOptions {
  let base: Partial<DampeningPreset> = {};
  if (options.preset !== undefined) {
    const preset = Object.prototype.hasOwnProperty.call(presets, options.preset) ? presets[options.preset] : undefined;
    if (!preset) throw invalidOption(method, 'preset', `one of ${Object.keys(presets).join(', ')}`, options.preset);
    base = preset;
  }
  const resolved: SsdOptions = {
    alpha: options.alpha ?? base.alpha ?? SSD_DEFAULTS.alpha,
    lambda: options.lambda ?? base.lambda ?? SSD_DEFAULTS.lambda,
    exponent: options.exponent ?? SSD_DEFAULTS.exponent,
    cap: options.cap ?? SSD_DEFAULTS.cap,
    batchSize: options.batchSize ?? base.batchSize ?? SSD_DEFAULTS.batchSize,
  };
  if (options.preset !== undefined) resolved.preset = options.preset;
  if (options.layers !== undefined) resolved.layers = options.layers;
  if (options.workers !== undefined) resolved.workers = options.workers;
  if (options.guard !== undefined) resolved.guard = options.guard;
  return resolved;
}

const finiteAtLeast = (v: unknown, min: number) => typeof v === 'number' && Number.isFinite(v) && v >= min;

export function validateOptions(method: string, o: SsdOptions): void {
  if (!finiteAtLeast(o.alpha, 0)) throw invalidOption(method, 'alpha', 'a finite number >= 0', o.alpha);
  if (!finiteAtLeast(o.lambda, 0)) throw invalidOption(method, 'lambda', 'a finite number >= 0', o.lambda);
  if (!finiteAtLeast(o.exponent, 0) || o.exponent === 0) throw invalidOption(method, 'exponent', 'a finite number > 0', o.exponent);
  if (!finiteAtLeast(o.cap, 0)) throw invalidOption(method, 'cap', 'a finite number >= 0', o.cap);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw invalidOption(method, 'batchSize', 'a positive integer', o.batchSize);
  if (o.layers !== undefined && !isLayerFilter(o.layers)) {
    throw invalidOption(method, 'layers', 'an array of name substrings / RegExps, or a predicate', String(o.layers));
  }
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1)) {
    throw invalidOption(method, 'workers', 'a positive integer', o.workers);
  }
  const g = o.guard;
  if (g !== undefined) {
    if (typeof g !== 'object' || g === null) throw invalidOption(method, 'guard', 'an object { maxAccuracyDrop, action }', g);
    if (!finiteAtLeast(g.maxAccuracyDrop, 0) || g.maxAccuracyDrop > 1) {
      throw invalidOption(method, 'guard.maxAccuracyDrop', 'a fraction between 0 and 1 (0.1 = 10 points)', g.maxAccuracyDrop);
    }
    if (g.action !== 'report' && g.action !== 'refuse') throw invalidOption(method, 'guard.action', '"report" or "refuse"', g.action);
    if (g.validation !== undefined && !(isBatchSource(g.validation) || typeof g.validation === 'object')) {
      throw invalidOption(method, 'guard.validation', 'a Dataset', typeof g.validation);
    }
  }
}

/** JSON-safe view of the options for reports (functions and datasets are described, not copied). */
export function describeOptions(o: SsdOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { alpha: o.alpha, lambda: o.lambda, exponent: o.exponent, cap: o.cap, batchSize: o.batchSize };
  if (o.preset !== undefined) out.preset = o.preset;
  if (o.layers !== undefined) {
    out.layers = typeof o.layers === 'function' ? '(predicate)' : o.layers.map((f) => (typeof f === 'string' ? f : String(f)));
  }
  if (o.workers !== undefined) out.workers = o.workers;
  if (o.guard) out.guard = { maxAccuracyDrop: o.guard.maxAccuracyDrop, action: o.guard.action };
  return out;
}
