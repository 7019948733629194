import type { ImportanceKind } from './importance.js';

/** A named (α, λ) setting and where its numbers come from. */
export interface DampeningPreset {
  alpha: number;
  lambda: number;
  batchSize?: number;
  source: string;
}

const R1 = 'github.com/jwf40/Information-Theoretic-Unlearning';
const R2 = 'github.com/if-loops/selective-synaptic-dampening';

/**
 * SSD settings. The reference ones were tuned on CIFAR with ResNet18/VGG11/ViT
 * (docs/algorithms/ssd.md, Options and where the defaults come from) and do not transfer: on this
 * project's MNIST CNN, α 10 / λ 1 selects 41 of 108,618 parameters and forgets nothing.
 */
export const SSD_PRESETS = {
  /**
   * This project's MNIST CNN, full-class forgetting: best point of a 7 α × 5 λ grid scored on
   * training data only (retain-subset accuracy minus forget accuracy); digit 3 went from
   * 96.6% to 1.5% forget-test accuracy with retain-test 97.2% → 97.7% (results/mnist.md).
   */
  'mnist-cnn': { alpha: 5, lambda: 0.1, batchSize: 64, source: 'packages/ssd/results/mnist.md: grid on the pretrained MNIST CNN, digit 3' },
  /** R2 full-class CIFAR-100/20, ResNet18 (the library default). */
  'r2-fullclass-resnet': { alpha: 10, lambda: 1, batchSize: 64, source: `${R2} forget_full_class_main.py` },
  /** R2 full-class, ViT (10 · 0.5). */
  'r2-fullclass-vit': { alpha: 5, lambda: 1, batchSize: 64, source: `${R2} forget_full_class_main.py` },
  /** R2 sub-class, ViT (10 · 2.5). */
  'r2-subclass-vit': { alpha: 25, lambda: 1, batchSize: 64, source: `${R2} forget_subclass_main.py` },
  /** R2 random forgetting, CIFAR-10. */
  'r2-random': { alpha: 10, lambda: 1, batchSize: 128, source: `${R2} forget_random_main.py` },
  /** R1 full-class (the JiT paper's comparison): the fixed dict values actually passed. */
  'r1-fullclass': { alpha: 1, lambda: 1, batchSize: 128, source: `${R1} forget_full_class_main.py` },
  /** R1 sub-class, VGG11. */
  'r1-subclass-vgg': { alpha: 5, lambda: 6, batchSize: 64, source: `${R1} forget_subclass_main.py` },
  /** R1 random forgetting, VGG11. */
  'r1-random-vgg': { alpha: 10, lambda: 4, batchSize: 128, source: `${R1} forget_random_main.py` },
} as const satisfies Record<string, DampeningPreset>;

/** LF-SSD settings: the official code has none of its own (docs/algorithms/lf-ssd.md, Options and presets). */
export const LF_SSD_PRESETS = {
  /** This project's MNIST CNN, found by the same grid as SSD's (results/mnist.md in @unlearn/lf-ssd). */
  'mnist-cnn': { alpha: 2, lambda: 2, batchSize: 64, source: 'packages/lf-ssd/results/mnist.md: grid on the pretrained MNIST CNN, digit 3' },
  /** "Per the SSD setting": the library default. */
  'ssd-default': { alpha: 10, lambda: 1, batchSize: 64, source: 'docs/algorithms/lf-ssd.md: same as SSD' },
} as const satisfies Record<string, DampeningPreset>;

export type SsdPresetName = keyof typeof SSD_PRESETS;
export type LfSsdPresetName = keyof typeof LF_SSD_PRESETS;

export function presetsFor(kind: ImportanceKind): Readonly<Record<string, DampeningPreset>> {
  return kind === 'fisher' ? SSD_PRESETS : LF_SSD_PRESETS;
}
