/**
 * Importance passes (SSD Fisher and LF-SSD loss-free) over 1,000 real MNIST digits with the
 * reference CNN, batch 64, on wasm, with 1 and 2 threads, next to PyTorch's time for the same
 * pass from scripts/torch/bench.py. Run: npm run bench -w @unlearn/ssd
 * Env: BENCH_REPEATS (timed repeats per row, default 5).
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, toModelAdapter } from '@unlearn/core';
import { loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { importanceWithPlan, type ImportanceKind } from '../src/importance.js';
import { closeImportanceWorkers } from '../src/node/index.js';
import { torchTimings, writeBenchResults } from '@unlearn/bench-kit';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const SAMPLES = 1000;
const BATCH = 64;

interface Row {
  kind: ImportanceKind;
  threads: number;
  medianMs: number;
  minMs: number;
  firstCallMs: number;
  cpuPerWall: number;
  maxRelativeDiffVsOneThread: number;
  torchMs?: number;
  ratioVsTorch?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function relDiff(a: tf.Tensor[], b: tf.Tensor[]): Promise<number> {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const [av, bv] = await Promise.all([a[i]!.data(), b[i]!.data()]);
    for (let j = 0; j < av.length; j++) {
      const d = Math.abs(av[j]! - bv[j]!);
      if (d > 0) worst = Math.max(worst, d / Math.abs(av[j]!));
    }
  }
  return worst;
}

async function main(): Promise<void> {
  // The machine is shared: a 1-minute load average above the core count means the timings
  // (and any speed-up from a second thread) are depressed, so it is recorded with them.
  const loadBefore = loadavg()[0]!;
  await selectBackend({ backend: 'wasm' });
  const model = toModelAdapter(await loadPretrainedMnistCnn());
  const { train, test } = loadMnist();
  // Every 8th training digit: 1,000 samples covering all ten classes.
  const idx = tf.tensor1d(Array.from({ length: SAMPLES }, (_, i) => i * 8), 'int32');
  const data = { x: tf.gather(train.x, idx), y: tf.gather(train.y, idx) };
  tf.dispose([idx, train.x, train.y, test.x, test.y]);

  const rows: Row[] = [];
  // CPU time of the whole process (worker threads included) over wall time: about 1 for one busy
  // thread, about 2 when both threads compute at once on an otherwise idle machine.
  const cpuPerWall = new Map<number, number[]>([[1, []], [2, []]]);
  const once = async (kind: ImportanceKind, threads: number) => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await importanceWithPlan(model, data, kind, { batchSize: BATCH, threads });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuPerWall.get(threads)!.push((cpu.user + cpu.system) / 1000 / ms);
    if (r.plan.threads !== threads) throw new Error(`asked for ${threads} threads, got ${r.plan.threads} (${r.plan.reason})`);
    return { ms, tensors: r.tensors };
  };
  for (const kind of ['fisher', 'loss-free'] as const) {
    const first1 = await once(kind, 1);
    const first2 = await once(kind, 2);
    const diff = await relDiff(first1.tensors, first2.tensors);
    tf.dispose([...first1.tensors, ...first2.tensors]);
    // 1 and 2 threads alternate, so that both see the same background load on a shared machine.
    const times: Record<number, number[]> = { 1: [], 2: [] };
    for (let i = 0; i < REPEATS; i++) {
      for (const threads of [1, 2]) {
        const r = await once(kind, threads);
        tf.dispose(r.tensors);
        times[threads]!.push(r.ms);
      }
    }
    for (const [threads, first] of [[1, first1.ms], [2, first2.ms]] as const) {
      const t = times[threads]!;
      const row: Row = { kind, threads, medianMs: median(t), minMs: Math.min(...t), firstCallMs: first, cpuPerWall: median(cpuPerWall.get(threads)!), maxRelativeDiffVsOneThread: threads === 1 ? 0 : diff };
      rows.push(row);
      console.error(`${kind} ${threads} thread(s): median ${row.medianMs.toFixed(0)} ms, min ${row.minMs.toFixed(0)} ms (first call ${row.firstCallMs.toFixed(0)} ms)`);
    }
  }
  const loadTfjs = loadavg()[0]!;
  await closeImportanceWorkers();
  tf.dispose([data.x, data.y]);
  model.dispose();

  // PyTorch runs after the tfjs timings, never at the same time, on the same two cores.
  const torch = torchTimings();
  if ('results' in torch) {
    for (const row of rows) {
      const t = torch.results[row.kind === 'fisher' ? 'ssd_importance_cnn_ms' : 'lf_importance_cnn_ms'];
      if (t !== undefined) {
        row.torchMs = t;
        row.ratioVsTorch = row.medianMs / t;
      }
    }
  } else console.error(torch.unavailable);

  const two = (k: ImportanceKind) => rows.find((r) => r.kind === k && r.threads === 2)!;
  const one = (k: ImportanceKind) => rows.find((r) => r.kind === k && r.threads === 1)!;
  const report = {
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      backend: tf.getBackend(),
      tfjs: tf.version_core,
      'load average (1 min) before / after tfjs timings': `${loadBefore.toFixed(1)} / ${loadTfjs.toFixed(1)}`,
      torch: 'results' in torch ? `${torch.torch}, threads ${JSON.stringify(torch.threads)}` : torch.unavailable,
    },
    workload: { model: 'reference MNIST CNN (internal/mnist, pretrained)', samples: SAMPLES, batchSize: BATCH, batches: Math.ceil(SAMPLES / BATCH), repeats: REPEATS },
    rows,
    speedup: { fisher: one('fisher').medianMs / two('fisher').medianMs, 'loss-free': one('loss-free').medianMs / two('loss-free').medianMs },
  };
  writeBenchResults(import.meta.url, report, markdown(report));
  console.log(markdown(report));
}

function markdown(r: { date: string; environment: Record<string, unknown>; workload: Record<string, unknown>; rows: Row[]; speedup: Record<string, number> }): string {
  const env = Object.entries(r.environment).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
  const ms = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0));
  return [
    '# @unlearn/ssd importance benchmark',
    '',
    `${r.date}. ${env}.`,
    '',
    `Workload: ${r.workload.samples} real MNIST training digits, batch ${r.workload.batchSize} (${r.workload.batches} batches), the pretrained reference CNN, wasm backend. Median of ${r.workload.repeats} timed runs after a first call, 1- and 2-thread runs alternating; the first call of the 2-thread rows includes starting the worker.`,
    '',
    '| importance | threads | median ms | min ms | first call ms | process CPU / wall | PyTorch ms | tfjs / PyTorch | max rel. diff vs 1 thread |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.rows.map(
      (row) =>
        `| ${row.kind} | ${row.threads} | ${ms(row.medianMs)} | ${ms(row.minMs)} | ${ms(row.firstCallMs)} | ${row.cpuPerWall.toFixed(2)} | ${row.torchMs?.toFixed(1) ?? '-'} | ${row.ratioVsTorch === undefined ? '-' : `${row.ratioVsTorch.toFixed(1)}x`} | ${row.maxRelativeDiffVsOneThread.toExponential(1)} |`,
    ),
    '',
    `Speed-up of 2 threads over 1: Fisher ${r.speedup.fisher!.toFixed(2)}x, loss-free ${r.speedup['loss-free']!.toFixed(2)}x. PyTorch (scripts/torch/bench.py) uses 2 intra-op threads on the same machine, random data of the same shape.`,
    '',
  ].join('\n');
}

await main();
