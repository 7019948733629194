import type { Unlearner } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { lfSsd } from '@unlearn/lf-ssd';
import { finetune, retrain } from '@unlearn/retrain';
import { ssd } from '@unlearn/ssd';
import type { DemoMethod } from './args.js';

/**
 * Each method with the setting its package found for this MNIST CNN (see each package's
 * results/ folder for the sweep that chose it). `quick` shortens the two training baselines;
 * `threads` splits their training steps (retrain's `threads`).
 */
export function demoUnlearners(methods: readonly DemoMethod[], quick: boolean, threads = 1): Record<string, () => Unlearner> {
  const all: Record<DemoMethod, () => Unlearner> = {
    jit: () => jit({ preset: 'mnist-cnn' }),
    ssd: () => ssd({ preset: 'mnist-cnn' }),
    'lf-ssd': () => lfSsd({ preset: 'mnist-cnn' }),
    finetune: () => finetune({ ...(quick ? { epochs: 2 } : {}), threads }),
  };
  return Object.fromEntries(methods.map((m) => [m, all[m]]));
}

/** The gold standard: the same architecture retrained from scratch without the forgotten digit. */
export function demoReference(quick: boolean, threads = 1): () => Unlearner {
  return () => retrain({ ...(quick ? { epochs: 5 } : {}), threads });
}
