import type { ModelAdapter } from '@unlearn/core';
import type { EvalData } from './data.js';
import type { PredictOptions, Probabilities } from './predict.js';
import { predictProbabilities, selectRows } from './predict.js';
import type { Split } from './scenario.js';

/**
 * Memoised outputs of one model. Large splits are read from one pass over their whole source
 * set, which every split of that source then shares; small ones are predicted directly.
 */
export class Predictor {
  private readonly full = new Map<'train' | 'test', Promise<Probabilities>>();
  private readonly bySplit = new Map<Split, Promise<Probabilities>>();

  constructor(
    readonly model: ModelAdapter,
    private readonly data: EvalData,
    private readonly predict: PredictOptions,
  ) {}

  on(split: Split): Promise<Probabilities> {
    let memo = this.bySplit.get(split);
    if (!memo) {
      memo = this.compute(split);
      this.bySplit.set(split, memo);
    }
    return memo;
  }

  private async compute(split: Split): Promise<Probabilities> {
    const source = this.data[split.from];
    const sourceSize = source.x.shape[0]!;
    if (this.full.has(split.from) || split.indices.length * 2 >= sourceSize) {
      let all = this.full.get(split.from);
      if (!all) {
        all = predictProbabilities(this.model, source.x, this.predict);
        this.full.set(split.from, all);
      }
      return selectRows(await all, split.indices);
    }
    return predictProbabilities(this.model, split.x, this.predict);
  }
}
