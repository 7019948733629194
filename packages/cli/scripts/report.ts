// Runs the `unlearn` command on real MNIST, end to end, the way a user would: the pretrained
// reference CNN on disk, the deletion request (every training image of digit 3) as .npy files.
// Writes results/mnist-cli.{json,md}. Run once: npm run report -w @unlearn/cli
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, PRETRAINED_MNIST_CNN_DIR, splitByDigit } from '@unlearn/mnist-fixture';
import { runCli, type DeletionRecord } from '../src/index.js';

const DIGIT = 3;
const BACKEND = 'wasm';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A path inside this repository as a repository-relative one, so the committed results name no machine path. */
function repoRelative(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return isAbsolute(path) && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** The record with its model folders written repository-relative (the CLI records the folder as given). */
function withRepoPaths(record: DeletionRecord): DeletionRecord {
  const { before, after } = record.model;
  return { ...record, model: { before: { ...before, path: repoRelative(before.path) }, after: { ...after, path: repoRelative(after.path) } } };
}

/** .npy v1 bytes for float32 data or int32 labels (numpy.lib.format). */
function npy(values: Float32Array | Int32Array, shape: number[]): Buffer {
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = Buffer.from(dict + ' '.repeat(total - 10 - dict.length - 1) + '\n', 'latin1');
  const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([prefix, header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

async function save(dir: string, name: string, split: { x: tf.Tensor; y: tf.Tensor }): Promise<void> {
  await writeFile(join(dir, `${name}.npy`), npy((await split.x.data()) as Float32Array, split.x.shape));
  await writeFile(join(dir, `${name}-labels.npy`), npy(Int32Array.from(await split.y.data()), split.y.shape));
}

const sink = { text: '', write(s: string) { this.text += s; return true; } };
async function unlearnCli(args: string[], cwd: string): Promise<{ code: number; json: Record<string, unknown>; ms: number }> {
  const stdout = { text: '', write(s: string) { this.text += s; return true; } };
  const started = performance.now();
  const code = await runCli([...args, '--backend', BACKEND, '--json'], { stdout, stderr: sink, cwd });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`unlearn ${args.join(' ')} exited ${code}: ${stdout.text}\n${sink.text}`);
  return { code, json: JSON.parse(stdout.text) as Record<string, unknown>, ms };
}

const dir = await mkdtemp(join(tmpdir(), 'unlearn-cli-mnist-'));
try {
  const { train, test } = loadMnist();
  const { forget, retain } = splitByDigit(train, DIGIT);
  for (const [name, split] of [['train', train], ['test', test], ['forget', forget], ['retain', retain]] as const) await save(dir, name, split);
  tf.dispose([train.x, train.y, test.x, test.y, forget.x, forget.y, retain.x, retain.y]);

  const model = PRETRAINED_MNIST_CNN_DIR;
  const request = ['--model', model, '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--retain', 'retain.npy', '--retain-labels', 'retain-labels.npy', '--eval-data', 'test.npy', '--eval-labels', 'test-labels.npy'];
  const runs: { name: string; command: string; wallMs: number; record?: DeletionRecord; verify?: unknown }[] = [];
  const forgetRun = async (name: string, slug: string, extra: string[]) => {
    const out = `out-${slug}`;
    const args = ['forget', ...request, ...extra, '--out', out];
    const r = await unlearnCli(args, dir);
    const v = await unlearnCli(['verify', '--record', `${out}/deletion-record.json`, '--original', model, '--forget', 'forget.npy', '--labels', 'forget-labels.npy'], dir);
    runs.push({ name, command: `unlearn ${args.join(' ').replace(model, '<mnist-cnn>')}`, wallMs: r.ms, record: withRepoPaths((r.json as { record: DeletionRecord }).record), verify: { ok: v.json.ok, checks: (v.json.checks as unknown[]).length } });
  };

  const fisher = await unlearnCli(['importances', '--model', model, '--train', 'train.npy', '--train-labels', 'train-labels.npy', '--kind', 'fisher', '--out', 'imp-fisher'], dir);
  runs.push({ name: 'importances fisher', command: 'unlearn importances --model <mnist-cnn> --train train.npy --train-labels train-labels.npy --kind fisher --out imp-fisher', wallMs: fisher.ms });
  const lossFree = await unlearnCli(['importances', '--model', model, '--train', 'train.npy', '--kind', 'loss-free', '--out', 'imp-lf'], dir);
  runs.push({ name: 'importances loss-free', command: 'unlearn importances --model <mnist-cnn> --train train.npy --kind loss-free --out imp-lf', wallMs: lossFree.ms });

  // Each method's MNIST preset (packages/ssd/results/mnist.md, packages/lf-ssd/results/mnist.md, packages/jit/results/mnist-sweep.md).
  await forgetRun('ssd (cached importances)', 'ssd-cached', ['--method', 'ssd', '--set', 'preset=mnist-cnn', '--importances', 'imp-fisher']);
  await forgetRun('ssd (importances in the run)', 'ssd-direct', ['--method', 'ssd', '--set', 'preset=mnist-cnn', '--train', 'train.npy', '--train-labels', 'train-labels.npy']);
  await forgetRun('lf-ssd (cached importances)', 'lf-ssd-cached', ['--method', 'lf-ssd', '--set', 'preset=mnist-cnn', '--importances', 'imp-lf']);
  await forgetRun('jit', 'jit', ['--method', 'jit', '--set', 'preset=mnist-cnn']);
  const evaluation = await unlearnCli(['eval', '--model', 'out-ssd-cached', '--data', 'train.npy', '--labels', 'train-labels.npy', '--test', 'test.npy', '--test-labels', 'test-labels.npy', '--scenario', `full-class:${DIGIT}`], dir);

  const results = { createdAt: new Date().toISOString(), backend: BACKEND, node: process.version, digit: DIGIT, runs, eval: evaluation.json };
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
  const pair = (v: { before: number; after: number } | undefined) => (v ? `${pct(v.before)} → ${pct(v.after)}` : '-');
  const lines = [
    '# `unlearn` on real MNIST: forgetting digit 3 from the command line',
    '',
    `${results.createdAt}. Backend ${BACKEND}, Node ${process.version}, 2-core shared machine. Model: the pretrained reference CNN (internal/mnist/model/mnist-cnn). ` +
      `Data: npm mnist via @unlearn/mnist-fixture, exported to .npy: 8000 train (forget = the 826 images of digit 3, retain = the other 7174), 2000 test. ` +
      'Every command ran in-process through `runCli`, exactly as on the command line, with `--json`. Generated by packages/cli/scripts/report.ts.',
    '',
    '| command | wall time | forget acc (Df) | retain acc (Dr) | test acc | MIA on Df | unlearning step | verify |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runs.map((r) => {
      const e = r.record?.evidence;
      return `| ${r.name} | ${(r.wallMs / 1000).toFixed(1)} s | ${pair(e?.forgetAccuracy)} | ${pair(e?.retainAccuracy)} | ${pair(e?.testAccuracy)} | ${pair(e?.mia)} | ${r.record ? `${(r.record.timing.unlearnMs / 1000).toFixed(2)} s` : '-'} | ${r.verify ? ((r.verify as { ok: boolean }).ok ? 'ok' : 'MISMATCH') : '-'} |`;
    }),
    '',
    'Wall time is the whole command: reading the .npy files, loading the model, measuring before and after (accuracies and the MIA), unlearning, saving, hashing. ' +
      'MIA: fraction of the forget images an entropy attack (fitted on retain-train vs test) calls "member".',
    '',
    `\`unlearn eval --scenario full-class:${DIGIT}\` on the SSD output: ` +
      Object.entries((evaluation.json.metrics ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${pct(v)}`).join(', ') + '.',
    '',
    'Commands:',
    '',
    ...runs.map((r) => `- \`${r.command}\``),
    '',
  ];
  await mkdir(new URL('../results/', import.meta.url), { recursive: true });
  await writeFile(new URL('../results/mnist-cli.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(new URL('../results/mnist-cli.md', import.meta.url), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
