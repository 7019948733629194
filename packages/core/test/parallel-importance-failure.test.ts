import { once } from 'node:events';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeReplicaWorkers, parallelImportance } from '../src/node/index.js';
import { acquireReplicas, releaseReplicas } from '../src/node/replicas/pool.js';
import { syntheticClassification, tinyCnn } from '../src/testing/index.js';

// The calling thread's share fails as if out of memory; worker threads load their own copy of
// the module, so their shares run as usual.
vi.mock('../src/gradients/importance.js', async (original) => ({
  ...(await original<typeof import('../src/gradients/importance.js')>()),
  accumulateImportance: () => Promise.reject(new Error('out of memory')),
}));

afterAll(() => closeReplicaWorkers());

describe('parallelImportance, when the calling thread fails', () => {
  it('[fault] parallel importance whose calling-thread share throws (out of memory) → rejects at once, the workers stopped, no tensor left', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3, seed: 5 });
    const { x, y } = syntheticClassification({ n: 300, inputDim: 64, classes: 3, seed: 9 });
    const data = { x: tf.reshape(x, [300, 8, 8, 1]), y };
    x.dispose();
    // The idle workers the call will take, so that their exits can be watched.
    const workers = acquireReplicas(2);
    releaseReplicas(workers);
    const exits = workers.map((w) => once(w, 'exit'));
    const before = tf.memory().numTensors;
    let reported = 0;
    // Batches of one: 100 per thread, far more than the workers get through before the failure.
    const call = parallelImportance(model, data, { objective: 'cross-entropy', reduce: 'square', batchSize: 1, threads: 3, onProgress: () => reported++ });
    await expect(call).rejects.toThrow('out of memory');
    expect(reported).toBeLessThan(200);
    const stopped = await Promise.race([Promise.all(exits).then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    expect(stopped).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.x, data.y]);
    model.dispose();
  });
});
