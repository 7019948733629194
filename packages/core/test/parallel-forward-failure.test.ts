import { once } from 'node:events';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeReplicaWorkers, parallelForward } from '../src/node/index.js';
import { acquireReplicas, releaseReplicas } from '../src/node/replicas/pool.js';
import { syntheticImages, tinyCnn } from '../src/testing/index.js';

// The calling thread's share fails as if out of memory; worker threads load their own copy of
// the module, so their shares run as usual.
vi.mock('../src/node/replicas/rows.js', async (original) => ({
  ...(await original<typeof import('../src/node/replicas/rows.js')>()),
  forwardHere: () => {
    throw new Error('out of memory');
  },
}));

afterAll(() => closeReplicaWorkers());

describe('parallelForward, when the calling thread fails', () => {
  it('[fault] parallel forward whose calling-thread share throws (out of memory) → rejects, the workers stopped instead of finishing their share, no tensor left', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3, seed: 5 });
    const { x, y } = syntheticImages({ n: 3000, seed: 9 });
    // The idle workers the call will take, so that their exits can be watched.
    const workers = acquireReplicas(2);
    releaseReplicas(workers);
    const exits = workers.map((w) => once(w, 'exit'));
    const before = tf.memory().numTensors;
    // Chunks of one row: thousands of forwards per worker, far more than they finish before the failure.
    await expect(parallelForward(model, x, { output: 'logits', chunkRows: 1, threads: 3 })).rejects.toThrow('out of memory');
    const stopped = await Promise.race([Promise.all(exits).then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    expect(stopped).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
