/**
 * Named (sigma, lr, N, batch) settings. sigma is in the model's input units and lr multiplies
 * a loss summed over the batch, so a setting only fits the input scaling, model and batch size
 * it was found for (docs/algorithms/jit.md, Presets and where their numbers come from).
 */
export interface JitPreset {
  sigma: number;
  lr: number;
  nSamples: number;
  batchSize: number;
  /** Where the numbers come from. */
  source: string;
}

const R1 = 'github.com/jwf40/Information-Theoretic-Unlearning';

export const JIT_PRESETS = {
  /**
   * This project's MNIST CNN (inputs in [0, 1]), full-class forgetting: the setting with the
   * lowest forget-class test accuracy whose retain test accuracy dropped by at most 2 points in
   * the sweep of packages/jit/scripts/report.ts (results/mnist-sweep.md): digit 3 went from
   * 96.6% to 26.2%, retain from 97.16% to 95.65%. Forgetting fully cost 8.75 points or more.
   */
  'mnist-cnn': {
    sigma: 0.2,
    lr: 4.4e-5,
    nSamples: 25,
    batchSize: 128,
    source: 'packages/jit/results/mnist-sweep.md: sweep on the pretrained MNIST CNN, full-class digit 3',
  },
  /** R1 full-class CIFAR-100, VGG11 without BN, CIFAR-normalised inputs. */
  'r1-fullclass-vgg': { sigma: 0.5, lr: 3e-4, nSamples: 25, batchSize: 128, source: `${R1} forget_full_class_main.py` },
  /** R1 full-class, ViT-B/16 at 224x224. */
  'r1-fullclass-vit': { sigma: 0.8, lr: 1.5, nSamples: 25, batchSize: 128, source: `${R1} forget_full_class_main.py` },
  /** R1 sub-class CIFAR-20, VGG11. */
  'r1-subclass-vgg': { sigma: 0.01, lr: 3e-4, nSamples: 25, batchSize: 64, source: `${R1} forget_subclass_main.py` },
  /** R1 sub-class CIFAR-20, ViT. */
  'r1-subclass-vit': { sigma: 1.5, lr: 0.5, nSamples: 25, batchSize: 64, source: `${R1} forget_subclass_main.py` },
  /** R1 random forgetting (83 CIFAR-10 samples), VGG11. */
  'r1-random-vgg': { sigma: 0.01, lr: 3e-4, nSamples: 25, batchSize: 128, source: `${R1} forget_random_main.py` },
  /** R1 random forgetting, ViT. */
  'r1-random-vit': { sigma: 0.5, lr: 0.1, nSamples: 25, batchSize: 128, source: `${R1} forget_random_main.py` },
} as const satisfies Record<string, JitPreset>;

export type JitPresetName = keyof typeof JIT_PRESETS;

/** The preset whose sigma and lr are the defaults when no preset is named. */
export const DEFAULT_PRESET: JitPresetName = 'mnist-cnn';
