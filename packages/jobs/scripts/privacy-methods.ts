// The methods the privacy report runs, each as the registry builds it, with the MNIST CNN setting
// the comparison table uses; importing this module registers them.
import '@unlearn/jit';
import '@unlearn/ssd';
import '@unlearn/lf-ssd';
import '@unlearn/retrain';
import '@unlearn/amnesiac';
import '@unlearn/bad-teacher';
import '@unlearn/neggrad-plus';
import '@unlearn/salun';
import '@unlearn/scrub';
import '@unlearn/unsir';
import type { MethodChoice } from '../src/index.js';

export const PRIVACY_METHODS: Record<string, (quick: boolean) => MethodChoice> = {
  jit: () => ({ name: 'jit', options: { preset: 'mnist-cnn' } }),
  ssd: () => ({ name: 'ssd', options: { preset: 'mnist-cnn' } }),
  'lf-ssd': () => ({ name: 'lf-ssd', options: { preset: 'mnist-cnn' } }),
  finetune: (quick) => ({ name: 'finetune', options: quick ? { epochs: 1 } : {} }),
  // The new methods with their reference presets (the defaults): none has an MNIST preset; auto mode fits them.
  amnesiac: (quick) => ({ name: 'amnesiac', options: quick ? { epochs: 1 } : {} }),
  'bad-teacher': () => ({ name: 'bad-teacher', options: {} }),
  'neggrad-plus': (quick) => ({ name: 'neggrad-plus', options: quick ? { epochs: 1 } : {} }),
  salun: (quick) => ({ name: 'salun', options: quick ? { epochs: 1 } : {} }),
  scrub: () => ({ name: 'scrub', options: {} }),
  unsir: () => ({ name: 'unsir', options: {} }),
};

/** Methods that forget whole classes only (they refuse other forget sets with UNSUPPORTED_REQUEST). */
export const CLASS_ONLY = new Set(['unsir']);
