import * as tf from '@tensorflow/tfjs-core';

/**
 * The running mean training loss of one epoch. Batch losses stay on the device until `read()`,
 * which fetches them in one transfer (one sync every few batches instead of every batch) and
 * throws `diverged(value, batch, lr)` at the first NaN or infinite one.
 */
export class EpochLoss {
  private pending: { loss: tf.Scalar; size: number; lr: number }[] = [];
  private sum = 0;
  private seen = 0;
  private readCount = 0;

  constructor(private readonly diverged: (value: number, batch: number, lr: number) => Error) {}

  push(loss: tf.Scalar, size: number, lr: number): void {
    this.pending.push({ loss, size, lr });
  }

  async read(): Promise<void> {
    if (this.pending.length === 0) return;
    const items = this.pending.splice(0);
    const stacked = tf.stack(items.map((p) => p.loss));
    tf.dispose(items.map((p) => p.loss));
    const values = await stacked.data();
    stacked.dispose();
    items.forEach((p, i) => {
      const v = values[i]!;
      if (!Number.isFinite(v)) throw this.diverged(v, this.readCount + i + 1, p.lr);
      this.sum += v * p.size;
      this.seen += p.size;
    });
    this.readCount += items.length;
  }

  /** Sample-weighted mean of the losses read so far (NaN before the first read). */
  get mean(): number {
    return this.seen > 0 ? this.sum / this.seen : Number.NaN;
  }

  dispose(): void {
    tf.dispose(this.pending.splice(0).map((p) => p.loss));
  }
}
