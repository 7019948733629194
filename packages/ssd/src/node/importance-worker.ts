import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { accumulateImportance, selectBackend, toModelAdapter, type BackendName } from '@unlearn/core';
import { IMPORTANCE_REDUCTION, importanceLoss } from '../importance.js';
import type { WorkerTask, WorkerReply } from './protocol.js';

const port = parentPort!;
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function runTask(task: WorkerTask): Promise<void> {
  if (tf.getBackend() !== task.backend) await selectBackend({ backend: task.backend as BackendName });
  const model = await tfl.loadLayersModel(tf.io.fromMemory(task.artifacts));
  const x = tf.tensor(task.x, task.xShape, 'float32');
  const y = task.y ? tf.tensor1d(task.y, 'int32') : undefined;
  try {
    const means = await accumulateImportance(toModelAdapter(model), y ? { x, y } : { x }, {
      batchSize: task.batchSize,
      loss: importanceLoss(task.kind),
      reduce: IMPORTANCE_REDUCTION[task.kind],
      onBatch: () => reply({ type: 'batch', id: task.id }),
    });
    const values = await Promise.all(means.map(async (m) => (await m.data()) as Float32Array));
    tf.dispose(means);
    reply({ type: 'done', id: task.id, means: values, batches: Math.ceil(task.xShape[0]! / task.batchSize) }, values.map((v) => v.buffer as ArrayBuffer));
  } finally {
    tf.dispose(y ? [x, y] : [x]);
    model.dispose();
  }
}

port.on('message', (task: WorkerTask) => {
  runTask(task).catch((error: unknown) => {
    const e = error as { message?: string; code?: string };
    reply({ type: 'error', id: task.id, message: e?.message ?? String(error), code: e?.code });
  });
});
