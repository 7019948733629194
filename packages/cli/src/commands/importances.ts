import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadSplit } from '../data.js';
import { badInput, usageError } from '../exit-codes.js';
import { ProgressBar } from '../progress.js';
import { backendOption, checkOutDir, modelFolder, openModel, parsePositiveInt, throwIfAborted, useBackend } from './common.js';
import type { CommandEnv } from './env.js';
import { importanceApi } from '../ssd-api.js';
import { claimOutDir } from '../claim-out.js';

interface ImportanceFlags {
  model: string;
  train: string;
  trainLabels?: string;
  kind: 'fisher' | 'loss-free';
  batchSize: string;
  threads?: string;
  /** The former name of --threads, refused with the new one. */
  workers?: string;
  backend?: string;
  out: string;
  force?: boolean;
  json?: boolean;
}

export function importancesCommand(program: Command, env: CommandEnv): void {
  program
    .command('importances')
    .description('Precompute SSD (fisher) or LF-SSD (loss-free) training-set importances once, for later `forget --importances`')
    .requiredOption('--model <path>', 'the trained model (folder or model.json)')
    .requiredOption('--train <file>', 'the full training set D: .npy, .json or an image folder')
    .option('--train-labels <file>', 'labels of the training set (needed for --kind fisher)')
    .addOption(new Option('--kind <kind>', 'fisher for ssd, loss-free for lf-ssd').choices(['fisher', 'loss-free']).makeOptionMandatory())
    .option('--batch-size <n>', 'mini-batch size; must equal the batchSize of the forget run', '64')
    .option('--threads <n>', 'threads for the importance pass, the calling one included (default: chosen by @unlearn/ssd)')
    .addOption(new Option('--workers <n>').hideHelp())
    .addOption(backendOption())
    .requiredOption('--out <dir>', 'cache folder to write (manifest.json + tensors.bin)')
    .option('--force', 'replace --out if it already holds files')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: ImportanceFlags) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      const batchSize = parsePositiveInt('--batch-size', flags.batchSize);
      if (flags.workers !== undefined) throw usageError('--workers is now called --threads (threads in all, the calling one included)');
      const threads = flags.threads === undefined ? undefined : parsePositiveInt('--threads', flags.threads);
      const outDir = resolve(io.cwd, flags.out);
      const protect = [flags.model, flags.train, flags.trainLabels].filter((p): p is string => p !== undefined).map((p) => resolve(io.cwd, p));
      protect[0] = await modelFolder(protect[0]!);
      const checkOut = () => checkOutDir(outDir, flags.out, Boolean(flags.force), protect, 'manifest.json', io.cwd);
      await checkOut();
      const backend = await useBackend(flags.backend, out);
      const api = await importanceApi();
      const release = await claimOutDir(outDir, flags.out, out, checkOut);
      const model = await openModel(flags.model, io.cwd).catch(async (error: unknown) => {
        await release();
        throw error;
      });
      try {
        const train = await loadSplit(model.adapter, { role: 'train', xFlag: '--train', x: flags.train, yFlag: '--train-labels', y: flags.trainLabels }, io.cwd);
        try {
          if (flags.kind === 'fisher' && !train.data.y) {
            throw badInput('MISSING_LABELS', 'Fisher importances (for ssd) need labels: pass --train-labels <file>, or use --kind loss-free for lf-ssd');
          }
          const bar = new ProgressBar(out);
          const batches = Math.ceil(train.samples / batchSize);
          bar.start('importance', batches);
          const started = performance.now();
          const set = await api
            .computeImportances(model.adapter, train.data, {
              kind: flags.kind,
              batchSize,
              ...(threads !== undefined ? { threads } : {}),
              ...(io.signal ? { signal: io.signal } : {}),
              onProgress: (event) => bar.update({ ...event, phase: `importance (${flags.kind})` }),
            })
            .finally(() => bar.stop());
          try {
            throwIfAborted(io.signal);
            const ms = performance.now() - started;
            await api.saveImportances(set, outDir);
            const summary = {
              ok: true,
              out: flags.out,
              kind: set.kind,
              batchSize: set.batchSize,
              samples: train.samples,
              modelWeightsSha256: set.modelHash,
              variables: set.tensors.length,
              backend: backend.name,
              timeMs: ms,
              train: train.x,
            };
            if (out.json) out.result(summary);
            else {
              out.line(`Wrote ${flags.kind} importances of ${train.samples} samples (batch size ${batchSize}) to ${flags.out} in ${(ms / 1000).toFixed(1)} s`);
              out.line(`  for model weights ${set.modelHash.slice(0, 16)}…; use: unlearn forget --importances ${flags.out} --set batchSize=${batchSize} ...`);
            }
          } finally {
            api.disposeImportances(set);
          }
        } finally {
          train.dispose();
        }
      } finally {
        model.adapter.dispose();
        await release();
      }
    });
}
