import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, isUnlearnError, toModelAdapter, unlearn, type ModelAdapter, type Unlearner } from '@unlearn/core';
import { syntheticClassification } from '@unlearn/core/testing';
import { amnesiac } from '@unlearn/amnesiac';
import { badTeacher } from '@unlearn/bad-teacher';
import { jit } from '@unlearn/jit';
import { lfSsd } from '@unlearn/lf-ssd';
import { negGradPlus } from '@unlearn/neggrad-plus';
import { finetune, retrain } from '@unlearn/retrain';
import { salun } from '@unlearn/salun';
import { scrub } from '@unlearn/scrub';
import { ssd } from '@unlearn/ssd';
import { unsir } from '@unlearn/unsir';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGE_SHAPE, INPUT_DIM, KERAS_FIXTURE, SUPPORT_ROWS, type SupportRow } from './support-models.js';

// The model support matrix of docs/guide/models.md: every row runs every method here, and the
// page's cells must say what these tests check (✓ runs, ✗ refused with the row's error).

const METHODS: Record<string, () => Unlearner<unknown>> = {
  jit: () => jit({ sigma: 0.5, lr: 0.05, nSamples: 2, batchSize: 16 }) as Unlearner<unknown>,
  ssd: () => ssd({ alpha: 1, batchSize: 16 }) as Unlearner<unknown>,
  'lf-ssd': () => lfSsd({ alpha: 1, batchSize: 16 }) as Unlearner<unknown>,
  retrain: () => retrain({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  finetune: () => finetune({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  amnesiac: () => amnesiac({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  'bad-teacher': () => badTeacher({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  'neggrad-plus': () => negGradPlus({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  salun: () => salun({ epochs: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  scrub: () => scrub({ epochs: 1, maxSteps: 1, batchSize: 16, learningRate: 0.01 }) as Unlearner<unknown>,
  unsir: () => unsir({ noiseSteps: 2, noiseBatch: 4, retainPerClass: 4, impairBatchSize: 16, repairBatchSize: 16 }) as Unlearner<unknown>,
};
/** Methods that run the model in training mode, and so move batch-norm statistics. */
const TRAINING_MODE = new Set(['retrain', 'finetune', 'amnesiac', 'bad-teacher', 'neggrad-plus', 'salun', 'scrub', 'unsir']);
/** Methods that forget whole classes only: their request forgets class 0 (the others forget every third example). */
const CLASS_ONLY = new Set(['unsir']);

// The Keras fixture was trained on these blobs (seed 9), so its forget set is one it learned.
function request(input: SupportRow['input'], wholeClass = false) {
  const size = input === 'vector' ? INPUT_DIM : IMAGE_SHAPE.reduce((a, b) => a * b, 1);
  const blobs = syntheticClassification({ n: 48, inputDim: size, classes: 3, seed: 9 });
  const x = input === 'vector' ? blobs.x : tf.reshape(blobs.x, [48, ...IMAGE_SHAPE]);
  const labels = blobs.y.dataSync();
  const forgotten = (i: number) => (wholeClass ? labels[i] === 0 : i % 3 === 0);
  const keep = (forget: boolean) => tf.tensor1d([...Array(48).keys()].filter((i) => forgotten(i) === forget), 'int32');
  const [fi, ri] = [keep(true), keep(false)];
  const out = {
    forget: { x: tf.gather(x, fi), y: tf.gather(blobs.y, fi) },
    retain: { x: tf.gather(x, ri), y: tf.gather(blobs.y, ri) },
    train: { x, y: blobs.y },
  };
  tf.dispose([fi, ri, ...(x === blobs.x ? [] : [blobs.x])]);
  return out;
}
const requests = { vector: request('vector'), image: request('image') };
const classRequests = { vector: request('vector', true), image: request('image', true) };
afterAll(() =>
  tf.dispose([...Object.values(requests), ...Object.values(classRequests)].flatMap((r) => [r.forget.x, r.forget.y, r.retain.x, r.retain.y, r.train.x, r.train.y])),
);

const page = readFileSync(new URL('../guide/models.md', import.meta.url), 'utf8');
const table = page.split('\n').filter((line) => line.startsWith('| '));
const header = table[0]!.split('|').map((c) => c.trim());
function cell(row: string, method: string): string | undefined {
  const line = table.find((l) => l.split('|')[1]!.trim() === row);
  return line?.split('|').map((c) => c.trim())[header.indexOf(method)];
}

const stateOf = (a: ModelAdapter) => a.variables.filter((v) => !v.trainable);
const disposeModel = (model: unknown) => (model as { dispose(): void }).dispose?.();

describe('model support matrix (docs/guide/models.md)', () => {
  it('the page has one row per tested model and one column per method', () => {
    for (const method of Object.keys(METHODS)) expect(header, method).toContain(method);
    for (const { row } of SUPPORT_ROWS) expect(table.some((l) => l.split('|')[1]!.trim() === row), row).toBe(true);
  });

  for (const row of SUPPORT_ROWS) {
    describe(row.row, () => {
      for (const [method, create] of Object.entries(METHODS)) {
        it(`${method}: ${row.refused ? 'refused with the fix' : 'unlearns'}, as the page says`, async () => {
          expect(cell(row.row, method), 'the page cell').toBe(row.refused ? '✗' : '✓');
          const model = await row.build();
          const data = (CLASS_ONLY.has(method) ? classRequests : requests)[row.input];
          const tensors = tf.memory().numTensors;
          if (row.refused) {
            const error = await unlearn(model, data, create()).then(
              () => undefined,
              (e: unknown) => e as Error,
            );
            expect(isUnlearnError(error), String(error)).toBe(true);
            expect(isUnlearnError(error) && error.code).toBe(row.refused.code);
            expect(error!.message).toMatch(row.refused.message);
            disposeModel(model);
            return;
          }
          const adapter = toModelAdapter(model);
          const before = await hashWeights(adapter);
          const result = await unlearn(model, data, create(), { seed: 3 });
          expect(result.changes.filter((c) => c.trainable).some((c) => c.changed > 0), 'changed a trainable weight').toBe(true);
          const state = result.changes.filter((c) => !c.trainable);
          expect(state.length, 'state variables reported').toBe(stateOf(adapter).length);
          for (const c of state) {
            if (TRAINING_MODE.has(method)) expect(c.changed, `${c.name} moved by training`).toBeGreaterThan(0);
            else expect(c.changed, `${c.name} untouched in inference mode`).toBe(0);
          }
          expect(result.layers.reduce((n, l) => n + l.changed, 0)).toBe(result.changes.reduce((n, c) => n + c.changed, 0));
          expect(await hashWeights(adapter), "the caller's model").toBe(before);
          toModelAdapter(result.model).dispose();
          expect(tf.memory().numTensors, 'tensors left behind').toBe(tensors);
          adapter.dispose();
        });
      }
    });
  }

  it('the Keras-converted fixture loads with its Keras names and predicts its training blobs', async () => {
    const { loadModel } = await import('@unlearn/core/node');
    const model = await loadModel(KERAS_FIXTURE);
    const names = toModelAdapter(model).variables.map((v) => v.name);
    expect(names).toEqual([
      'dense/kernel',
      'dense/bias',
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'dense_1/kernel',
      'dense_1/bias',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
    ]);
    const { train } = requests.vector;
    const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(train.x) as tf.Tensor, 1), train.y), 'float32')).dataSync()[0]!);
    expect(accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });
});
