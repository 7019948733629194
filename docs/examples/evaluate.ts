import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type Unlearner } from '@unlearn/core';
// #region metrics
import { accuracy, fullClass, jsToRetrained, membershipInference, type EvalData } from '@unlearn/eval';

/** The protocol by hand: split, unlearn, then score against a retrained model. */
export async function scoreOne(model: LayersModel, retrained: LayersModel, data: EvalData, forgetClass: number, method: Unlearner) {
  const splits = await fullClass(forgetClass).split(data, 0);
  try {
    const { model: unlearned, timeMs } = await unlearn(model, { forget: splits.forgetTrain, retain: splits.retainTrain, train: data.train }, method);
    const scores = {
      retainTestAccuracy: await accuracy(unlearned, splits.retainTest), // higher is better
      forgetTestAccuracy: await accuracy(unlearned, splits.forgetTest), // target: the retrained model's
      mia: (await membershipInference(unlearned, splits)).value, // target: the retrained model's
      jsToRetrained: await jsToRetrained(unlearned, retrained, splits.forgetTrain), // lower is better
      timeMs,
    };
    unlearned.dispose();
    return scores;
  } finally {
    splits.dispose();
  }
}
// #endregion metrics
