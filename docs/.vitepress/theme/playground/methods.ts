import { JIT_PRESETS } from '@unlearn/jit';
import { SSD_PRESETS } from '@unlearn/ssd';

export type PlaygroundMethod = 'jit' | 'ssd';

/**
 * The packages' MNIST presets, each found on the same pretrained CNN this page loads; their
 * `source` says where the numbers come from.
 */
export const PLAYGROUND_METHODS = {
  jit: { label: 'JiT', options: { preset: 'mnist-cnn' as const }, source: JIT_PRESETS['mnist-cnn'].source },
  ssd: { label: 'SSD', options: { preset: 'mnist-cnn' as const }, source: SSD_PRESETS['mnist-cnn'].source },
} as const;

/** SSD's importances depend on the batch size, so the cached ones must use the preset's. */
export const SSD_BATCH_SIZE = SSD_PRESETS['mnist-cnn'].batchSize;
