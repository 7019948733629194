import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Unlearner } from '@unlearn/core';
// #region benchmark
import { benchmark, fullClass, randomSamples, toMarkdown, type EvalData } from '@unlearn/eval';

/** Every method on the same splits and seeds, next to a retrained reference, as a Markdown table. */
export async function main(
  model: LayersModel,
  data: EvalData,
  methods: Record<string, () => Unlearner>,
  reference: () => Unlearner,
  seeds: number[] = [0, 1, 2],
) {
  const report = await benchmark({
    model,
    data,
    scenarios: [fullClass(3), randomSamples(100)],
    unlearners: methods,
    retrain: reference,
    seeds,
    onProgress: (e) => e.status !== 'running' && console.log(`${e.cell}/${e.total} ${e.scenario} ${e.method} ${e.status}`),
  });
  return { report, markdown: toMarkdown(report) };
}
// #endregion benchmark
