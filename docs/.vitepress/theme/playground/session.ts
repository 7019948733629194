import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type Unlearner } from '@unlearn/core';
import { accuracy } from '@unlearn/eval';
import { jit } from '@unlearn/jit';
import { computeImportances, disposeImportances, ssd, type ImportanceSet } from '@unlearn/ssd';
import { chooseBackend, type BackendReport, type PlaygroundBackend } from './backend.js';
import { decodeDigits, PIXELS, type DigitSplit, type SliceManifest } from './digits.js';
import { PLAYGROUND_METHODS, SSD_BATCH_SIZE, type PlaygroundMethod } from './methods.js';

export interface Accuracies {
  /** Test digits of every other class. */
  retain: number;
  /** Test digits of the forgotten class. */
  forget: number;
  /** The training digits that were forgotten (the deletion request itself). */
  forgetTrain: number;
}

export interface MethodRun {
  method: PlaygroundMethod;
  digit: number;
  before: Accuracies;
  after: Accuracies;
  /** core's UnlearnResult.timeMs: the unlearning step alone. */
  timeMs: number;
  /** SSD only: the one-off training-set importance pass, reused for every digit. */
  setupMs?: number;
  backend: string;
}

interface Labelled {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** Unzips the digits, unless the server already did (Content-Encoding: gzip). */
async function gunzip(response: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toTensors(split: DigitSplit): Labelled {
  const n = split.labels.length;
  return { x: tf.tensor4d(split.pixels, [n, 28, 28, 1]), y: tf.tensor1d(split.labels, 'int32') };
}

function rowsWhere(data: Labelled, keep: (label: number) => boolean): Labelled {
  const labels = data.y.dataSync();
  const rows: number[] = [];
  labels.forEach((label, i) => keep(label) && rows.push(i));
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
  });
}

/** Everything one page visit needs: backend, model, digits, and the SSD importance cache. */
export class PlaygroundSession {
  private fisher: { set: ImportanceSet; ms: number } | undefined;
  /** The original model's accuracies per digit: the model never changes, so each is measured once. */
  private readonly original = new Map<number, Promise<Accuracies>>();

  private constructor(
    readonly backend: BackendReport,
    readonly model: LayersModel,
    private readonly trainDigits: DigitSplit,
    private readonly train: Labelled,
    private readonly test: Labelled,
  ) {}

  /** `base` is the site's base URL with its trailing slash, e.g. '/' or '/unlearn/'. */
  static async open(base: string, prefer?: readonly PlaygroundBackend[]): Promise<PlaygroundSession> {
    const root = `${base}playground/`;
    const backend = await chooseBackend(`${root}wasm/`, prefer);
    const [model, manifest, bytes] = await Promise.all([
      tfl.loadLayersModel(`${root}mnist-cnn/model.json`),
      fetchOk(`${root}mnist.json`).then((r) => r.json() as Promise<SliceManifest>),
      fetchOk(`${root}mnist.bin.gz`).then(gunzip),
    ]);
    const { train, test } = decodeDigits(bytes, manifest);
    return new PlaygroundSession(backend, model, train, toTensors(train), toTensors(test));
  }

  get counts(): { train: number; test: number } {
    return { train: this.train.y.shape[0], test: this.test.y.shape[0] };
  }

  /** The first `k` training images of `digit`, 784 values in [0, 1] each, for display. */
  examples(digit: number, k: number): Float32Array[] {
    const out: Float32Array[] = [];
    const { labels, pixels } = this.trainDigits;
    for (let i = 0; i < labels.length && out.length < k; i++) {
      if (labels[i] === digit) out.push(pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
    }
    return out;
  }

  async accuracies(model: LayersModel, digit: number): Promise<Accuracies> {
    const retain = rowsWhere(this.test, (l) => l !== digit);
    const forget = rowsWhere(this.test, (l) => l === digit);
    const forgetTrain = rowsWhere(this.train, (l) => l === digit);
    try {
      return {
        retain: await accuracy(model, retain),
        forget: await accuracy(model, forget),
        forgetTrain: await accuracy(model, forgetTrain),
      };
    } finally {
      tf.dispose([retain.x, retain.y, forget.x, forget.y, forgetTrain.x, forgetTrain.y]);
    }
  }

  /** SSD's training-set importances do not depend on the digit, so they are computed once. */
  private async fisherImportances(): Promise<{ set: ImportanceSet; ms: number }> {
    if (!this.fisher) {
      const start = performance.now();
      const set = await computeImportances(this.model, this.train, { kind: 'fisher', batchSize: SSD_BATCH_SIZE });
      this.fisher = { set, ms: performance.now() - start };
    }
    return this.fisher;
  }

  async run(method: PlaygroundMethod, digit: number): Promise<MethodRun> {
    const forget = rowsWhere(this.train, (l) => l === digit);
    try {
      if (!this.original.has(digit)) this.original.set(digit, this.accuracies(this.model, digit));
      const before = await this.original.get(digit)!;
      let unlearner: Unlearner;
      let setupMs: number | undefined;
      const request: Parameters<typeof unlearn>[1] = { forget };
      if (method === 'jit') unlearner = jit(PLAYGROUND_METHODS.jit.options);
      else {
        const { set, ms } = await this.fisherImportances();
        setupMs = ms;
        request.importances = set;
        unlearner = ssd(PLAYGROUND_METHODS.ssd.options);
      }
      const result = await unlearn(this.model, request, unlearner);
      try {
        const after = await this.accuracies(result.model, digit);
        return { method, digit, before, after, timeMs: result.timeMs, ...(setupMs === undefined ? {} : { setupMs }), backend: result.backend };
      } finally {
        result.model.dispose();
      }
    } finally {
      tf.dispose([forget.x, forget.y]);
    }
  }

  dispose(): void {
    if (this.fisher) disposeImportances(this.fisher.set);
    this.model.dispose();
    tf.dispose([this.train.x, this.train.y, this.test.x, this.test.y]);
  }
}
