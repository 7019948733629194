import { invalidOption, UnlearnError } from '@unlearn/core';
import type { Scenario } from './scenario.js';
import { defineScenario, describeClasses, presentClasses } from './scenario.js';

export interface SubClassOptions {
  /** The fine label of every sample of the train and test sets (the model never sees them). */
  fineLabels: { train: ArrayLike<number>; test: ArrayLike<number> };
  /** The coarse class the model predicts for each fine class: a function or a lookup array. */
  coarseOf: ((fine: number) => number) | readonly number[];
}

/**
 * Sub-class forgetting (docs/evaluation.md, Scenarios): the model predicts coarse labels (the `y` of the
 * data) and Df is every training sample of one fine class. Forget-test holds that fine class's
 * test samples, scored against their coarse label, so a retrained model still classifies them
 * well through the sibling fine classes. The split does not depend on the seed.
 */
export function subClass(fine: number, options: SubClassOptions): Scenario {
  if (!Number.isInteger(fine) || fine < 0) throw invalidOption('subClass', 'fine', 'a non-negative integer fine-class index', fine);
  if (!options?.fineLabels?.train || !options.fineLabels.test) {
    throw new UnlearnError('MISSING_LABELS', 'subClass needs fineLabels: { train, test }, the fine label of every sample', {
      split: options?.fineLabels?.train ? 'test' : 'train',
      field: 'fineLabels',
    });
  }
  const { coarseOf } = options;
  const toCoarse = typeof coarseOf === 'function' ? coarseOf : (f: number) => coarseOf[f];
  if (typeof coarseOf !== 'function' && !Array.isArray(coarseOf)) {
    throw invalidOption('subClass', 'coarseOf', 'a function or an array mapping fine to coarse classes', coarseOf);
  }
  const name = `sub-class(${fine})`;
  const coarse = toCoarse(fine);
  return defineScenario({
    name,
    kind: 'sub-class',
    params: { fine, coarse: coarse ?? null },
    seeded: false,
    indices(labels) {
      const fineTrain = Int32Array.from(options.fineLabels.train);
      const fineTest = Int32Array.from(options.fineLabels.test);
      for (const [split, fineArr, target] of [
        ['train', fineTrain, labels.train],
        ['test', fineTest, labels.test],
      ] as const) {
        if (fineArr.length !== target.length) {
          throw new UnlearnError(
            'SHAPE_MISMATCH',
            `${name}: fineLabels.${split} has ${fineArr.length} entries for ${target.length} ${split} samples`,
            { split, field: 'fineLabels' },
          );
        }
        for (let i = 0; i < fineArr.length; i++) {
          const expected = toCoarse(fineArr[i]!);
          if (expected !== target[i]) {
            throw new UnlearnError(
              'MISMATCH',
              `${name}: ${split} sample ${i} has fine label ${fineArr[i]} (coarse ${String(expected)}) but target label ${target[i]}; y must be coarseOf(fineLabels)`,
              { split, field: 'fineLabels', index: i },
            );
          }
        }
      }
      const forgetTrain: number[] = [];
      fineTrain.forEach((f, i) => f === fine && forgetTrain.push(i));
      if (forgetTrain.length === 0) {
        throw new UnlearnError(
          'LABEL_OUT_OF_RANGE',
          `${name}: fine class ${fine} does not exist in the training set (fine classes present: ${describeClasses(presentClasses(fineTrain))})`,
          { split: 'train', field: 'fineLabels' },
        );
      }
      const forgetTest: number[] = [];
      const retainTest: number[] = [];
      fineTest.forEach((f, i) => (f === fine ? forgetTest : retainTest).push(i));
      if (forgetTest.length === 0) {
        throw new UnlearnError('EMPTY_DATASET', `${name}: the test set has no sample of fine class ${fine}`, { split: 'test', field: 'fineLabels' });
      }
      return {
        forgetTrain,
        forgetTest: { from: 'test', indices: forgetTest },
        retainTest: { from: 'test', indices: retainTest },
      };
    },
  });
}
