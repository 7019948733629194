/**
 * The repository benchmark (npm run bench): the same workloads in tfjs (wasm backend, this
 * repository's kernels) and in PyTorch (scripts/torch/serve.py), in one run, as a table of
 * times and ratios. Rounds alternate between the two (abab.ts); rows measured while the load
 * average exceeded BENCH_LOAD_LIMIT (1.5) are marked. Writes scripts/bench/results/latest.{md,json}
 * for a full run, subset.{md,json} when BENCH_ONLY picks rows, nothing for BENCH_SMOKE=1.
 *
 *   npm run bench                              every row (about 15 minutes on 2 cores)
 *   BENCH_ONLY=resnet npm run bench            rows tagged or named so (mnist, zoo, resnet, mobilenet, jit, ssd, train, leaks, ...)
 *   BENCH_SMOKE=1 BENCH_ROUNDS=1 npm run bench tiny zoo models, one round: checks that everything runs
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@unlearn/core';
import { startTorchRounds, type TorchRounds } from '@unlearn/bench-kit';
import { parameterCounts } from '@unlearn/model-zoo';
import { measureAbab, type Measured } from './abab.js';
import { leaks, type LeakRow } from './leaks.js';
import { mnistRows } from './mnist-rows.js';
import { markdown, rowLine } from './report.js';
import { selected, settings, type Workload } from './workload.js';
import { ZOO_CONFIG, ZOO_MODELS, zooRows } from './zoo-rows.js';

/** The tfjs builders and their PyTorch twins must be the same networks: same trainable parameter count. */
function checkTwins(torch: TorchRounds, workloads: Workload[]): string {
  const counts = ZOO_MODELS.filter((m) => workloads.some((w) => w.torchKey.includes(m.twin))).map((m) => {
    const model = m.build();
    const tfjs = parameterCounts(model).trainable;
    model.dispose();
    if (tfjs !== torch.params[m.twin]) throw new Error(`${m.label}: ${tfjs} trainable parameters in tfjs, ${torch.params[m.twin]} in PyTorch`);
    return `${m.label} ${tfjs.toLocaleString('en-US')}`;
  });
  return counts.length === 0 ? '' : `Trainable parameters, equal in both: ${counts.join(', ')}.`;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!.toFixed(2);
  const backend = await selectBackend({ backend: 'wasm' });
  const workloads = [...mnistRows(), ...zooRows()].filter(selected);
  const started = await startTorchRounds(ZOO_CONFIG);
  const torch = 'unavailable' in started ? undefined : started;
  if (!torch) console.error(`PyTorch: ${(started as { unavailable: string }).unavailable}; tfjs only`);
  const params = torch ? checkTwins(torch, workloads) : '';
  const rows: Measured[] = [];
  try {
    for (const w of workloads) {
      const row = await measureAbab(w, torch);
      rows.push(row);
      console.error(rowLine(row));
    }
  } finally {
    torch?.close();
  }
  const leakRows: LeakRow[] = selected({ name: 'leaks', tags: ['mnist', 'leaks'] }) ? await leaks(settings.smoke ? 20 : 1000) : [];
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core} (${backend.name}), load ${loadBefore} before / ${loadavg()[0]!.toFixed(2)} after`;
  const torchLine = torch ? `PyTorch ${torch.torch} CPU, threads ${JSON.stringify(torch.threads)}` : 'PyTorch: not run';
  const date = new Date().toISOString();
  const md = markdown({ date, machine, torchLine, params }, rows, leakRows);
  console.log(md);
  if (settings.smoke) return;
  const name = settings.only.length > 0 ? 'subset' : 'latest';
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  writeFileSync(`${out}${name}.md`, md);
  const json = { date, machine, torch: torch ? { torch: torch.torch, threads: torch.threads, params: torch.params } : null, zoo: ZOO_CONFIG, loadLimit: settings.loadLimit, rows, leaks: leakRows };
  writeFileSync(`${out}${name}.json`, `${JSON.stringify(json, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
