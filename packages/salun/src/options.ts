import { defineOptions, option, type OptionsPreset } from '@unlearn/core';
import type { OptimizerName } from '@unlearn/retrain';

/**
 * How the relabelled forget set and the retain set meet in an epoch: `alternate` is the SalUn
 * repository's CIFAR-10/SVHN branch (every forget batch, then every retain batch), `concat` its
 * CIFAR-100/TinyImageNet branch (one shuffled pass over both together).
 */
export type SalunOrder = 'alternate' | 'concat';

export interface SalunOptions {
  /** Share of all trainable weights the saliency mask frees: the top `fraction` by |∇ forget loss|. */
  fraction: number;
  epochs: number;
  /** Mini-batch size, for the saliency pass and for training. */
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (PyTorch convention); ignored by Adam. */
  momentum: number;
  /** L2 penalty weightDecay·θ added to the gradient before the mask, so it too only moves salient weights. */
  weightDecay: number;
  order: SalunOrder;
  /** Reshuffle each pass (seeded). */
  shuffle: boolean;
  /** Read the loss (and check it is finite) every this many batches. */
  checkEvery: number;
  /** A named setting (`SALUN_PRESETS`) whose values fill the unset options. */
  preset?: string;
}

const SALUN = 'github.com/OPTML-Group/Unlearn-Saliency';

/**
 * The SalUn repository's classification example, ResNet-18 on CIFAR-10, 10% random forgetting
 * (Classification/README.md: `main_random.py --unlearn RL --unlearn_epochs 10 --unlearn_lr 0.013
 * --mask_path mask/with_0.5.pt`) with arg_parser.py's defaults: SGD, momentum 0.9, weight decay
 * 5e-4, batch 256 (docs/algorithms/salun.md, Options and presets).
 */
export const REFERENCE_SALUN_PRESET: Partial<SalunOptions> = {
  fraction: 0.5,
  epochs: 10,
  batchSize: 256,
  optimizer: 'sgd',
  learningRate: 0.013,
  momentum: 0.9,
  weightDecay: 5e-4,
  order: 'alternate',
};

export const SALUN_PRESETS: Readonly<Record<string, OptionsPreset<SalunOptions>>> = {
  reference: {
    ...REFERENCE_SALUN_PRESET,
    source: `${SALUN} Classification/README.md (RL with the 0.5 mask, CIFAR-10 ResNet-18), arg_parser.py, unlearn/RL.py, unlearn/impl.py`,
  },
};

export const DEFAULT_SALUN_OPTIONS: SalunOptions = {
  ...(REFERENCE_SALUN_PRESET as Omit<SalunOptions, 'shuffle' | 'checkEvery' | 'preset'>),
  shuffle: true,
  checkEvery: 10,
  preset: 'reference',
};

export const SALUN_OPTIONS = defineOptions<SalunOptions>({
  method: 'salun',
  fields: {
    fraction: option.number({ above: 0, max: 1 }),
    epochs: option.count(),
    batchSize: option.count(),
    optimizer: option.oneOf(['sgd', 'adam']),
    learningRate: option.number({ above: 0 }),
    momentum: option.number({ min: 0, below: 1 }),
    weightDecay: option.number({ min: 0 }),
    order: option.oneOf(['alternate', 'concat']),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    preset: option.oneOf(Object.keys(SALUN_PRESETS)),
  },
  defaults: DEFAULT_SALUN_OPTIONS,
  presets: SALUN_PRESETS,
});
