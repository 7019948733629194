// The methods the privacy report runs, each as the registry builds it, with the MNIST CNN setting
// the comparison table uses; importing this module registers them.
import '@unlearn/jit';
import '@unlearn/ssd';
import '@unlearn/lf-ssd';
import '@unlearn/retrain';
import type { MethodChoice } from '../src/index.js';

export const PRIVACY_METHODS: Record<string, (quick: boolean) => MethodChoice> = {
  jit: () => ({ name: 'jit', options: { preset: 'mnist-cnn' } }),
  ssd: () => ({ name: 'ssd', options: { preset: 'mnist-cnn' } }),
  'lf-ssd': () => ({ name: 'lf-ssd', options: { preset: 'mnist-cnn' } }),
  finetune: (quick) => ({ name: 'finetune', options: quick ? { epochs: 1 } : {} }),
};
