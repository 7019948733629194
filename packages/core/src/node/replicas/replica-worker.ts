import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend, type BackendName } from '../../backend/select.js';
import { layersAdapter } from '../../model/layers-adapter.js';
import type { ModelAdapter } from '../../model/types.js';
import type { UnlearnErrorLocation } from '../../errors.js';
import { crossEntropyGradients } from '../../gradients/gradients.js';
import { accumulateImportance, importanceObjective } from '../../gradients/importance.js';
import type { ForwardTask, GradientTask, ImportanceTask, ReplicaReply, ReplicaTaskMessage } from './protocol.js';

const port = parentPort!;
const reply = (message: ReplicaReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let held: { key: number; adapter: ModelAdapter } | undefined;

/**
 * The replica of the task's model with the task's weights (artifacts may be older than them);
 * `loaded` when it had to be built for this task.
 */
async function replicaOf(task: ReplicaTaskMessage): Promise<{ adapter: ModelAdapter; loaded: boolean }> {
  let adapter = held?.key === task.modelKey ? held.adapter : undefined;
  const loaded = !adapter;
  if (!adapter) {
    if (!task.artifacts) throw new Error(`replica worker: model ${task.modelKey} was never sent`);
    held?.adapter.dispose();
    held = undefined;
    adapter = layersAdapter(await tfl.loadLayersModel(tf.io.fromMemory(task.artifacts)));
    held = { key: task.modelKey, adapter };
  }
  const model = adapter.model as tfl.LayersModel;
  tf.tidy(() => model.setWeights(task.weights.map((w, i) => tf.tensor(w, model.weights[i]!.shape as number[], 'float32'))));
  return { adapter, loaded };
}

async function runTask(task: ReplicaTaskMessage): Promise<void> {
  let replica: Awaited<ReturnType<typeof replicaOf>>;
  try {
    if (tf.getBackend() !== task.backend) await selectBackend({ backend: task.backend as BackendName });
    replica = await replicaOf(task);
  } catch (error) {
    // Marked apart from the task's own errors: this worker cannot run the model at all.
    reply({ type: 'error', id: task.id, message: (error as Error)?.message ?? String(error), replica: true });
    return;
  }
  const { adapter, loaded } = replica;
  if (task.kind === 'forward') await forward(adapter, task, loaded);
  else if (task.kind === 'gradients') await gradients(adapter, task, loaded);
  else await importance(adapter, task, loaded);
}

async function importance(adapter: ModelAdapter, task: ImportanceTask, loaded: boolean): Promise<void> {
  const x = tf.tensor(task.x, task.xShape, 'float32');
  const y = task.y ? tf.tensor1d(task.y, 'int32') : undefined;
  try {
    const means = await accumulateImportance(adapter, y ? { x, y } : { x }, {
      batchSize: task.batchSize,
      loss: importanceObjective(task.objective),
      reduce: task.reduce,
      onProgress: () => reply({ type: 'batch', id: task.id }),
    });
    const values = await Promise.all(means.map(async (m) => (await m.data()) as Float32Array));
    tf.dispose(means);
    const batches = Math.ceil(task.xShape[0]! / task.batchSize);
    reply({ type: 'importance', id: task.id, loaded, means: values, batches }, values.map((v) => v.buffer as ArrayBuffer));
  } finally {
    tf.dispose(y ? [x, y] : [x]);
  }
}

async function gradients(adapter: ModelAdapter, task: GradientTask, loaded: boolean): Promise<void> {
  const x = tf.tensor(task.x, task.xShape, 'float32');
  const y = tf.tensor1d(task.y, 'int32');
  try {
    const { loss, grads } = crossEntropyGradients(adapter, x, y, task.training);
    const values = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
    const lossValue = (await loss.data())[0]!;
    tf.dispose([loss, ...grads]);
    reply({ type: 'gradients', id: task.id, loaded, loss: lossValue, grads: values }, values.map((v) => v.buffer as ArrayBuffer));
  } finally {
    tf.dispose([x, y]);
  }
}

async function forward(adapter: ModelAdapter, task: ForwardTask, loaded: boolean): Promise<void> {
  const rows = task.xShape[0]!;
  const perRow = task.x.length / Math.max(1, rows);
  let values: Float32Array | undefined;
  let classes = 0;
  for (let start = 0; start < rows; start += task.chunkRows) {
    const size = Math.min(task.chunkRows, rows - start);
    const out = tf.tidy(() => {
      const x = tf.tensor(task.x.subarray(start * perRow, (start + size) * perRow), [size, ...task.xShape.slice(1)], 'float32');
      const options = { training: task.training };
      return task.output === 'logits' ? adapter.logits(x, options) : adapter.probabilities(x, options);
    });
    const data = (await out.data()) as Float32Array;
    classes = out.shape[1]!;
    out.dispose();
    values ??= new Float32Array(rows * classes);
    values.set(data, start * classes);
  }
  values ??= new Float32Array(0);
  reply({ type: 'forward', id: task.id, loaded, values, shape: [rows, classes] }, [values.buffer as ArrayBuffer]);
}

// One task at a time, in the order posted: a task awaits (backend start, data reads), and the
// next one must not start the backend again or swap the weights under it meanwhile.
let queue: Promise<void> = Promise.resolve();
port.on('message', (task: ReplicaTaskMessage) => {
  queue = queue.then(() =>
    runTask(task).catch((error: unknown) => {
      const e = error as { message?: string; code?: string } & UnlearnErrorLocation;
      reply({ type: 'error', id: task.id, message: e?.message ?? String(error), code: e?.code, split: e?.split, field: e?.field, index: e?.index });
    }),
  );
});
