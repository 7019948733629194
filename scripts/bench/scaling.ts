/**
 * How each method's time grows with the forget-set size and the model (npm run bench:scaling):
 * JiT, SSD and LF-SSD on the MNIST CNN, MobileNetV2 and ResNet-18 at |Df| = 100, 1,000, 10,000,
 * on wasm with two threads. Each model and method runs in a fresh child process, so that a wasm
 * heap abort (MobileNetV2 at batch 64) costs one method, not the run. Cells too long for the
 * budget are measured at a smaller size and predicted from the fitted line a + b·|Df|, and say so.
 * Writes scripts/bench/results/scaling.{md,json} and docs/public/scaling.svg; BENCH_SMOKE=1 runs
 * tiny models on tiny sets and writes nothing.
 *
 *   nice -n -10 npm run bench:scaling        every model (about 45 minutes on 2 busy cores); on Linux, also
 *                                            give its session's autogroup the same nice (/proc/self/autogroup)
 *   SCALING_MODELS=mobilenet                 some models; the others' last results are reused from the temp folder
 *   SCALING_METHODS=jit                      some methods (the model's other series are kept)
 *   SCALING_RENDER_ONLY=1                    re-render the table and chart from results/scaling.json
 *   SCALING_CELL_BUDGET_S=180, SCALING_MODEL_BUDGET_S=1500 (a third per method), SCALING_ZOO_TRAIN=512 (defaults)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@unlearn/core';
import type { ModelResult, ScalingMethod, ScalingModelKey, Series } from './scaling-fit.js';
import { measureModel, scalingSettings, SIZES } from './scaling-model.js';
import { scalingMarkdown, scalingRows, type ScalingHeader } from './scaling-report.js';
import { scalingSvg } from './scaling-svg.js';

const MODELS: ScalingModelKey[] = ['mnist', 'mobilenet', 'resnet'];
const METHODS: ScalingMethod[] = ['jit', 'ssd', 'lf-ssd'];
const partial = (key: ScalingModelKey) => join(tmpdir(), `unlearn-scaling-${scalingSettings.smoke ? 'smoke-' : ''}${key}.json`);
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function child(key: ScalingModelKey, out: string): Promise<void> {
  await selectBackend({ backend: 'wasm' });
  const result = await measureModel(key);
  // A rerun of some methods keeps the other methods' series (and importance timings) from the last run.
  if (existsSync(out) && scalingSettings.methods.length < METHODS.length) {
    const last = JSON.parse(readFileSync(out, 'utf8')) as ModelResult;
    result.series = [...last.series.filter((s) => !result.series.some((r) => r.method === s.method)), ...result.series];
    result.trainImportance = {
      ...last.trainImportance,
      ...result.trainImportance,
    };
  }
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

/** One method of one model in a fresh process, which merges its series into the model's partial file. */
function runChild(key: ScalingModelKey, method: ScalingMethod): Promise<string | undefined> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const env = { ...process.env, SCALING_METHODS: method };
    const proc = spawn(process.execPath, [...process.execArgv, script, `--model=${key}`, `--out=${partial(key)}`], { stdio: 'inherit', env });
    proc.on('exit', (code, signal) => resolve(code === 0 ? undefined : `the process ended with ${code ?? signal}`));
  });
}

/** Every method of one model, each in its own process: a wasm heap abort then costs one method, not the model. */
async function runModel(key: ScalingModelKey): Promise<ModelResult> {
  if (scalingSettings.methods.length === METHODS.length) rmSync(partial(key), { force: true });
  const failures: Series[] = [];
  for (const method of METHODS.filter((m) => scalingSettings.methods.includes(m))) {
    console.error(`--- ${key}, ${method} (fresh process)`);
    const error = await runChild(key, method);
    if (error) failures.push({ method, model: key, batchSize: 0, points: [], error });
  }
  const result: ModelResult = existsSync(partial(key))
    ? (JSON.parse(readFileSync(partial(key), 'utf8')) as ModelResult)
    : {
        model: key,
        label: key,
        trainableParams: 0,
        forwardMacs: 1,
        trainImportance: {},
        series: [],
        wallS: 0,
      };
  // A process that died wrote nothing: its method is listed with the reason.
  result.series = [...result.series.filter((s) => !failures.some((f) => f.method === s.method)), ...failures];
  return result;
}

/** The scheduler's autogroup line of this process ('/autogroup-N nice K'), where Linux has one: nice ranks only within it. */
function autogroup(): string | undefined {
  try {
    return readFileSync('/proc/self/autogroup', 'utf8').trim();
  } catch {
    return undefined;
  }
}

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

function write(header: ScalingHeader, models: ModelResult[]): void {
  const md = scalingMarkdown(header, models, SIZES);
  console.log(md);
  if (scalingSettings.smoke) return;
  writeFileSync(`${RESULTS}scaling.md`, md);
  const json = {
    ...header,
    sizes: SIZES,
    zooTrainSamples: scalingSettings.zooTrainSamples,
    threads: scalingSettings.threads,
    models,
  };
  writeFileSync(`${RESULTS}scaling.json`, `${JSON.stringify(json, null, 2)}\n`);
  const svg = scalingSvg(scalingRows(models, SIZES), `Time of one unlearn() call, wasm, 2 threads (${header.date})`);
  writeFileSync(fileURLToPath(new URL('../../docs/public/scaling.svg', import.meta.url)), svg);
}

async function main(): Promise<void> {
  if (process.env.SCALING_RENDER_ONLY === '1') {
    // Re-renders the table and the chart from the last run's JSON (after a change to the report's layout).
    const {
      sizes: _sizes,
      zooTrainSamples: _z,
      // `workers`: the name of `threads` in results written before it was renamed.
      workers: _w,
      threads: _t,
      models,
      ...header
    } = JSON.parse(readFileSync(`${RESULTS}scaling.json`, 'utf8')) as ScalingHeader & {
      sizes: number[];
      zooTrainSamples: number;
      workers?: number;
      threads?: number;
      models: ModelResult[];
    };
    write(header, models);
    return;
  }
  const only = (process.env.SCALING_MODELS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const start = performance.now();
  const loadBefore = loadavg()[0]!;
  const backend = await selectBackend({ backend: 'wasm' });
  const models: ModelResult[] = [];
  for (const key of MODELS) {
    if (only.length > 0 && !only.includes(key)) {
      if (existsSync(partial(key))) models.push(JSON.parse(readFileSync(partial(key), 'utf8')) as ModelResult);
      continue;
    }
    models.push(await runModel(key));
  }
  const nice = Number(process.env.SCALING_NICE ?? NaN);
  const header = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core} (${backend.name})`,
    // os.getPriority() reads this process's nice value; SCALING_NICE overrides it for the record.
    nice: Number.isFinite(nice) ? nice : getPriority(),
    ...(autogroup() ? { autogroup: autogroup()! } : {}),
    load: { before: loadBefore, after: loadavg()[0]! },
    cellBudgetS: scalingSettings.cellBudgetS,
    modelBudgetS: scalingSettings.modelBudgetS,
    loadLimit: scalingSettings.loadLimit,
    wallS: (performance.now() - start) / 1000,
  };
  write(header, models);
}

const model = arg('model') as ScalingModelKey | undefined;
(model ? child(model, arg('out')!) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
