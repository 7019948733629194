// Where does webgpu go wrong on a full-width ResNet-18? Gradients of the cross-entropy (inference
// and training mode) and one JiT update, on webgpu against wasm on the same machine, per variable:
// non-finite entries and the relative error. Bundled by scripts/gpu/bundle.mjs.
import '@tensorflow/tfjs-backend-wasm';
import * as webgpuBackend from '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, toModelAdapter, unlearn, type BackendName } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { buildResNet18, cifarLike } from '../../internal/zoo/src/index.js';

(globalThis as Record<string, unknown>).__unlearnWebGpuBackend = webgpuBackend;
setWasmPaths(`${process.env.GPU_BUNDLE_DIR ?? '.'}/`);
const OUT = process.env.OUT ?? '.';
const log = (s: string) => console.log(s);

type Values = { name: string; values: Float32Array }[];

async function gradients(backend: BackendName, training: boolean, n: number): Promise<{ loss: number; grads: Values }> {
  await selectBackend({ backend });
  const model = buildResNet18({ width: 64, seed: 1 });
  const adapter = toModelAdapter(model);
  const { x, y } = cifarLike({ n, seed: 3 });
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), adapter.logits(x, { training })) as tf.Scalar,
    adapter.trainable.map((v) => v.variable),
  );
  const loss = (await value.data())[0]!;
  const out: Values = [];
  for (const v of adapter.trainable) out.push({ name: v.name, values: (await grads[v.variable.name]!.data()) as Float32Array });
  tf.dispose([value, x, y, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: out };
}

async function jitUpdate(backend: BackendName, n: number, nSamples: number): Promise<{ error?: string; weights?: Values; loss?: unknown }> {
  await selectBackend({ backend });
  const model = buildResNet18({ width: 64, seed: 1 });
  const { x, y } = cifarLike({ n, seed: 3 });
  try {
    const r = await unlearn(model, { forget: { x } }, jit({ sigma: 0.1, lr: 1e-3, nSamples, batchSize: n }), { seed: 5 });
    const a = toModelAdapter(r.model);
    const weights: Values = [];
    for (const v of a.trainable) weights.push({ name: v.name, values: (await v.variable.data()) as Float32Array });
    a.dispose();
    return { weights, loss: r.details.losses };
  } catch (error) {
    return { error: (error as Error).message.slice(0, 300) };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

function compare(a: Values, b: Values) {
  return a.map((va, i) => {
    const vb = b[i]!.values;
    let nonFinite = 0;
    let num = 0;
    let den = 0;
    va.values.forEach((v, j) => {
      if (!Number.isFinite(v)) nonFinite++;
      else {
        num += (v - vb[j]!) ** 2;
        den += vb[j]! ** 2;
      }
    });
    return { name: va.name, size: va.values.length, nonFinite, relativeError: Math.sqrt(num / Math.max(den, 1e-30)) };
  });
}

const result: Record<string, unknown> = {};
try {
  for (const [training, n] of [[false, 8], [true, 8], [false, 64]] as const) {
    const gpu = await gradients('webgpu', training, n);
    const cpu = await gradients('wasm', training, n);
    const rows = compare(gpu.grads, cpu.grads);
    const key = `ce-${training ? 'training' : 'inference'}-batch${n}`;
    result[key] = { lossWebgpu: gpu.loss, lossWasm: cpu.loss, worst: [...rows].sort((p, q) => q.relativeError - p.relativeError).slice(0, 5), nonFiniteVariables: rows.filter((r) => r.nonFinite > 0).map((r) => r.name) };
    log(`${key}: loss webgpu ${gpu.loss} wasm ${cpu.loss}; non-finite grads in ${rows.filter((r) => r.nonFinite > 0).length} variables; worst ${JSON.stringify(rows.sort((p, q) => q.relativeError - p.relativeError).slice(0, 3))}`);
  }
  for (const [n, nSamples] of [[8, 2], [64, 2], [8, 25], [64, 25]] as const) {
    const gpu = await jitUpdate('webgpu', n, nSamples);
    const key = `jit-batch${n}-N${nSamples}`;
    if (gpu.error) {
      result[key] = { webgpuError: gpu.error };
      log(`${key}: webgpu error ${gpu.error.slice(0, 120)}`);
      continue;
    }
    const cpu = n * (nSamples + 1) <= 200 ? await jitUpdate('wasm', n, nSamples) : undefined;
    const rows = cpu?.weights ? compare(gpu.weights!, cpu.weights) : [];
    result[key] = { lossWebgpu: gpu.loss, lossWasm: cpu?.loss, worst: [...rows].sort((p, q) => q.relativeError - p.relativeError).slice(0, 3) };
    log(`${key}: webgpu loss ${JSON.stringify(gpu.loss)} wasm ${JSON.stringify(cpu?.loss ?? cpu?.error)}; worst ${JSON.stringify(result[key])}`);
  }
} catch (error) {
  result.error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  console.error(result.error);
}
writeFileSync(join(OUT, 'grad-diff.json'), JSON.stringify(result, null, 2));
