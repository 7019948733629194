import { describe, expect, it } from 'vitest';
import { finetune, FINETUNE_PRESETS, referenceRetrainPreset, retrain, RETRAIN_PRESETS } from '../src/index.js';

describe('retrain and finetune presets', () => {
  it('name every reference recipe, the same as referenceRetrainPreset, and each passes validation', () => {
    expect(Object.keys(RETRAIN_PRESETS)).toEqual([
      'mnist-cnn',
      'r1-cifar100-cnn',
      'r1-cifar20-cnn',
      'r1-cifar10-cnn',
      'r1-pins-cnn',
      'r1-cifar100-vit',
      'r1-cifar20-vit',
      'r1-cifar10-vit',
    ]);
    const method = retrain({ preset: 'r1-cifar100-cnn' });
    expect(method.options).toMatchObject({ ...referenceRetrainPreset('cifar100', 'cnn'), preset: 'r1-cifar100-cnn' });
    for (const preset of Object.keys(RETRAIN_PRESETS)) expect(() => retrain({ preset }).validate?.(), preset).not.toThrow();
    for (const preset of Object.keys(FINETUNE_PRESETS)) expect(() => finetune({ preset }).validate?.(), preset).not.toThrow();
  });

  it('let options set by the caller win over the preset', () => {
    expect(retrain({ preset: 'r1-cifar10-cnn', epochs: 3 }).options).toMatchObject({ epochs: 3, optimizer: 'sgd', reinit: 'head' });
    expect(retrain().options).toMatchObject({ preset: 'mnist-cnn', optimizer: 'adam', epochs: 20, reinit: 'all' });
  });
});
