import { iterateBatches, UnlearnError, type Batch, type Dataset, type Rng } from '@unlearn/core';

/** An endless stream of forget batches, one per training step. */
export interface BatchCycle {
  /** The next batch; its tensors stay valid until the following call (or `close`). */
  next(): Promise<Batch>;
  close(): Promise<void>;
  /** Complete passes started so far. */
  readonly passes: number;
}

/**
 * Cycles `data` in batches for pairing with the retain batches (docs/algorithms/neggrad-plus.md,
 * The math in short): each pass is reshuffled with its own generator forked from `rng` (in order
 * without one). The reference's itertools.cycle replays its first pass instead; a fresh
 * permutation per pass spreads the ascent evenly over the forget set when it is cycled many times.
 */
export function cycleBatches(data: Dataset, batchSize: number, rng: Rng | undefined, signal?: AbortSignal): BatchCycle {
  let pass = 0;
  let current: AsyncGenerator<Batch, void, undefined> | undefined;
  return {
    get passes() {
      return pass;
    },
    async next() {
      let emptyPasses = 0;
      for (;;) {
        if (!current) {
          current = iterateBatches(data, batchSize, { signal, shuffle: rng?.fork(`forget/pass-${pass}`) });
          pass++;
        }
        const step = await current.next();
        if (!step.done) return step.value;
        current = undefined;
        // A stream that yields nothing would otherwise loop forever.
        if (++emptyPasses > 1) throw new UnlearnError('EMPTY_DATASET', 'neggrad-plus: the forget set yielded no batches', { split: 'forget', field: 'x' });
      }
    },
    async close() {
      await current?.return(undefined);
      current = undefined;
    },
  };
}
