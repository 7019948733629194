/**
 * Real-data results: the pretrained MNIST CNN (internal/mnist) forgets one digit with Bad Teacher, at the
 * reference setting and at 4 epochs (the strength knob), on wasm. Writes results/mnist.{json,md}.
 * Run: node --conditions=@unlearn/source --import tsx packages/bad-teacher/scripts/mnist.ts
 * Env: DIGIT (default 3), SEED (default 0).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn } from '@unlearn/core';
import { accuracyOf, loadMnist, loadPretrainedMnistCnn, splitByDigit } from '@unlearn/mnist-fixture';
import { badTeacher, type BadTeacherOptions } from '../src/index.js';

const DIGIT = Number(process.env.DIGIT ?? 3);
const SEED = Number(process.env.SEED ?? 0);
const backend = await selectBackend({ backend: 'wasm' });
const { train, test } = loadMnist();
const trainSplit = splitByDigit(train, DIGIT);
const testSplit = splitByDigit(test, DIGIT);
const pretrained = await loadPretrainedMnistCnn();

const metrics = async (model: LayersModel) => ({
  forgetTest: await accuracyOf(model, testSplit.forget),
  retainTest: await accuracyOf(model, testSplit.retain),
  forgetTrain: await accuracyOf(model, trainSplit.forget),
  retainTrain: await accuracyOf(model, trainSplit.retain),
});

const runs: [string, Partial<BadTeacherOptions>][] = [
  ['reference (1 epoch, Adam 1e-4)', {}],
  ['epochs 4', { epochs: 4 }],
];
const load = loadavg()[0]!;
const original = await metrics(pretrained);
const rows = [];
for (const [label, options] of runs) {
  const request = { forget: { x: trainSplit.forget.x }, retain: { x: trainSplit.retain.x } };
  const result = await unlearn(pretrained, request, badTeacher(options), { seed: SEED });
  rows.push({ run: label, seconds: result.timeMs / 1000, ...(await metrics(result.model as LayersModel)), details: { retainExamples: result.details.retainExamples, history: result.details.history } });
  result.model.dispose();
  console.error(`${label}: done in ${(result.timeMs / 1000).toFixed(1)} s`);
}
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const env = { backend: backend.name, cpus: cpus().length, loadAverageBefore: load, loadAverageAfter: loadavg()[0]!, digit: DIGIT, seed: SEED, trainImages: train.x.shape[0], testImages: test.x.shape[0] };
await mkdir(new URL('../results/', import.meta.url), { recursive: true });
await writeFile(new URL('../results/mnist.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), environment: env, original, rows }, null, 1)}\n`);
const md = [
  `# Bad Teacher on MNIST (digit ${DIGIT} forgotten)`,
  '',
  `Pretrained MNIST CNN (internal/mnist), ${env.trainImages} training and ${env.testImages} test images, ${backend.name} backend, seed ${SEED}, ${env.cpus} cores (load average ${load.toFixed(1)} before, ${env.loadAverageAfter.toFixed(1)} after). No labels given to the method.`,
  '',
  '| run | forget-test | retain-test | forget-train | retain-train | seconds |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| original | ${pct(original.forgetTest)} | ${pct(original.retainTest)} | ${pct(original.forgetTrain)} | ${pct(original.retainTrain)} | - |`,
  ...rows.map((r) => `| ${r.run} | ${pct(r.forgetTest)} | ${pct(r.retainTest)} | ${pct(r.forgetTrain)} | ${pct(r.retainTrain)} | ${r.seconds.toFixed(1)} |`),
  '',
].join('\n');
await writeFile(new URL('../results/mnist.md', import.meta.url), md);
console.log(md);
