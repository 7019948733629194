import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { backendChoice } from '../src/backend/choice.js';
import { crossEntropyGradients, defineUnlearner, isUnlearnError, sgdStep, unlearn, type Logger } from '../src/index.js';
import { tinyCnn } from '../src/testing/index.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Makes core believe nobody chose a backend, as in a fresh process that only built a model. */
function forgetChoice(): void {
  const record = backendChoice();
  delete record.chosen;
  delete record.how;
  delete record.pick;
}

const sgd = defineUnlearner({
  name: 'sgd-steps',
  options: {},
  needs: { labels: true },
  async unlearn(ctx) {
    const { x, y } = ctx.request.forget as { x: tf.Tensor; y: tf.Tensor };
    for (let i = 0; i < 3; i++) {
      const { loss, grads } = crossEntropyGradients(ctx.model, x, y, true);
      sgdStep(ctx.model.trainable.map((v) => v.variable), grads, 0.05);
      tf.dispose([loss, ...grads]);
    }
  },
});

const weightsOf = (model: LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('the backend unlearn() runs on', () => {
  it('is core’s pick when nobody chose one, and a model built on cpu unlearns there as it would on cpu', async () => {
    await tf.setBackend('cpu');
    const model = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 5);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    const request = { forget: { x, y } };

    const onCpu = await unlearn(model, request, sgd, { backend: 'keep' });
    expect(onCpu.backend).toBe('cpu');
    const expected = weightsOf(onCpu.model as LayersModel);
    onCpu.model.dispose();

    forgetChoice();
    const lines: string[] = [];
    const logger: Logger = { debug() {}, info: (m) => lines.push(m), warn: (m) => lines.push(m) };
    const tensors = tf.memory().numTensors;
    const picked = await unlearn(model, request, sgd, { logger });
    expect(picked.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/using the wasm backend, the fastest available, instead of tfjs's default cpu/);
    // Three float32 SGD steps on two backends: the kernels sum in different orders.
    const got = weightsOf(picked.model as LayersModel);
    got.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 4)));
    picked.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendChoice().how).toBe('auto');

    // Once per process: the next run neither switches nor logs again.
    await tf.setBackend('cpu');
    const again = await unlearn(model, request, sgd, { logger });
    expect(again.backend).toBe('cpu');
    expect(lines).toHaveLength(1);
    again.model.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('counts tf.setBackend as a choice, and takes a backend name or rejects an unknown one', async () => {
    forgetChoice();
    await tf.setBackend('cpu');
    expect(backendChoice()).toMatchObject({ chosen: 'cpu', how: 'set', watching: true });
    const model = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6);
    const y = tf.tensor1d([0, 1], 'int32');
    const stays = await unlearn(model, { forget: { x, y } }, sgd);
    expect(stays.backend).toBe('cpu');
    stays.model.dispose();
    const named = await unlearn(model, { forget: { x, y } }, sgd, { backend: 'wasm' });
    expect(named.backend).toBe('wasm');
    named.model.dispose();
    const error = await unlearn(model, { forget: { x, y } }, sgd, { backend: 'fast' as never }).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'INVALID_OPTION') && error.message).toMatch(/"backend" must be one of auto, keep, tensorflow/);
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('the README’s lines in a fresh process', () => {
  const node = async (fixture: string, ...args: string[]) => {
    const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@unlearn/source', '--import', 'tsx', script, ...args], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as unknown;
  };
  // Two fresh Node processes: about 4 s of CPU, but minutes of wall time on a loaded machine.
  it('move a model tfjs built on its default cpu to wasm, logging it once; a user’s own tf.setBackend("cpu") stands', { timeout: 300_000 }, async () => {
    const [fresh, chose] = await Promise.all([node('backend-default.ts'), node('user-chose-cpu.ts')]);
    expect(fresh).toMatchObject({ builtOn: 'cpu', kept: 'cpu', backends: ['wasm', 'wasm'] });
    const { lines } = fresh as { lines: string[] };
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unlearn: using the wasm backend, the fastest available, instead of tfjs's default cpu/);
    // tfjs-backend-wasm imported before core: its training kernels were registered at core's import.
    expect(chose).toEqual({ kernelsAtImport: true, builtOn: 'cpu', backends: ['cpu', 'cpu'], lines: [] });
  });
});
