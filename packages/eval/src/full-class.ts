import { invalidOption, UnlearnError } from '@unlearn/core';
import type { Scenario } from './scenario.js';
import { defineScenario, describeClasses, presentClasses } from './scenario.js';

function rowsWhere(labels: Int32Array, keep: (label: number) => boolean): number[] {
  const out: number[] = [];
  labels.forEach((label, i) => {
    if (keep(label)) out.push(i);
  });
  return out;
}

/**
 * Full-class forgetting (docs/evaluation.md, Scenarios): Df = every training sample of class `c`, Dr = the
 * rest; forget-test = the test samples of `c`, retain-test = the other test samples. The split
 * does not depend on the seed.
 */
export function fullClass(c: number): Scenario {
  if (!Number.isInteger(c) || c < 0) throw invalidOption('fullClass', 'class', 'a non-negative integer class index', c);
  const name = `full-class(${c})`;
  return defineScenario({
    name,
    kind: 'full-class',
    params: { class: c },
    seeded: false,
    indices(labels) {
      const forgetTrain = rowsWhere(labels.train, (l) => l === c);
      if (forgetTrain.length === 0) {
        throw new UnlearnError(
          'LABEL_OUT_OF_RANGE',
          `${name}: class ${c} does not exist in the training labels (classes present: ${describeClasses(presentClasses(labels.train))})`,
          { split: 'train', field: 'y' },
        );
      }
      const forgetTest = rowsWhere(labels.test, (l) => l === c);
      if (forgetTest.length === 0) {
        throw new UnlearnError('EMPTY_DATASET', `${name}: the test set has no sample of class ${c}, so forget-test accuracy is undefined`, {
          split: 'test',
          field: 'y',
        });
      }
      return {
        forgetTrain,
        forgetTest: { from: 'test', indices: forgetTest },
        retainTest: { from: 'test', indices: rowsWhere(labels.test, (l) => l !== c) },
      };
    },
  });
}
