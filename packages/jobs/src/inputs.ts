import * as tf from '@tensorflow/tfjs-core';
import type { ModelAdapter } from '@unlearn/core';
import type { EvalData } from '@unlearn/eval';
import type { JobStore } from './store.js';

/**
 * The trained model and data sets of the last job, kept for the next: a grid sends every job of a
 * worker the same ones, and re-reading a data set (188 MB for MNIST's 60,000 training images as
 * float32) from the shared folder per job would cost more than many methods. Only the latest of each is kept, so memory stays one grid's worth.
 */
export class JobInputs {
  private model?: { hash: string; adapter: Promise<ModelAdapter> };
  private data?: { key: string; sets: Promise<EvalData> };

  constructor(private readonly store: JobStore) {}

  async modelOf(hash: string): Promise<ModelAdapter> {
    if (this.model?.hash !== hash) {
      const old = this.model;
      this.model = { hash, adapter: this.store.loadModel(hash) };
      if (old) (await old.adapter.catch(() => undefined))?.dispose();
    }
    return this.model.adapter;
  }

  async dataOf(hashes: { train: string; test: string }): Promise<EvalData> {
    const key = `${hashes.train}/${hashes.test}`;
    if (this.data?.key !== key) {
      const old = this.data;
      this.data = {
        key,
        sets: (async () => ({ train: await this.store.loadData(hashes.train), test: await this.store.loadData(hashes.test) }))(),
      };
      if (old) disposeSets(await old.sets.catch(() => undefined));
    }
    return this.data.sets;
  }

  async dispose(): Promise<void> {
    (await this.model?.adapter.catch(() => undefined))?.dispose();
    disposeSets(await this.data?.sets.catch(() => undefined));
    this.model = undefined;
    this.data = undefined;
  }
}

function disposeSets(sets: EvalData | undefined): void {
  if (sets) tf.dispose([sets.train.x, sets.train.y, sets.test.x, sets.test.y]);
}
