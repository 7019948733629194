import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  autoUnlearn,
  createUnlearner,
  isUnlearnError,
  methodSchema,
  unlearn,
  type AutoUnlearnOptions,
  type ForgetRequest,
  type ModelAdapter,
  type UnlearnResult,
  type Unlearner,
} from '@unlearn/core';
import { saveModel, writeDirAtomically } from '@unlearn/core/node';
import type { RequestDataFlags } from '../data.js';
import { measure } from '../evidence.js';
import { usageError } from '../exit-codes.js';
import type { Output } from '../io.js';
import { methodOptions } from '../method-options.js';
import { claimOutDir } from '../claim-out.js';
import { failedLoads, loadMethods, reportPlugins, type MethodCatalog } from '../methods.js';
import { digestModelFiles } from '../model-files.js';
import { ProgressBar } from '../progress.js';
import { RECORD_JSON, RECORD_MD, renderRecordMarkdown, type DeletionRecord } from '../record.js';
import { recordDigest } from '../record-digest.js';
import { readSigningKey, signDigest } from '../record-signature.js';
import { backendOption, checkOutDir, modelFolder, openModel, parseSeed, requirePair, throwIfAborted, useBackend } from './common.js';
import type { CommandEnv } from './env.js';
import { checkNeeds, translateCoreError } from './forget-checks.js';
import { autoOptions, autoRecord, checkAutoOutcome, type AutoFlags, type AutoRecord } from './forget-auto.js';
import { evidenceInputs, forgetRequest, loadForgetInputs, loadImportanceInput, type Disposables } from './forget-inputs.js';
import { deletionRecord } from './forget-record.js';
import { reportForget } from './forget-report.js';

export interface ForgetFlags extends AutoFlags, RequestDataFlags {
  model: string;
  forget: string;
  labels?: string;
  method: string;
  options?: string;
  set: string[];
  importances?: string;
  seed?: string;
  allowPluginOverride?: string[];
  signKey?: string;
  backend?: string;
  out: string;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function forgetCommand(program: Command, env: CommandEnv): void {
  program
    .command('forget')
    .description('Run a deletion request on a saved tfjs model; write the new model and a deletion record into --out')
    .requiredOption('--model <path>', 'the trained model (folder or model.json)')
    .requiredOption('--forget <file>', 'samples to forget: .npy, .json or a folder of PNG/JPEG images')
    .option('--labels <file>', 'labels of the forget samples (.npy or .json); image folders may use class subfolders instead')
    .requiredOption('--method <name>', 'unlearning method (see `unlearn methods`)')
    .option('--options <file>', 'method options as a JSON object')
    .option('--set <key=value>', 'one method option (repeatable; values parse as JSON; dotted keys nest)', collect, [])
    .option('--importances <dir>', 'precomputed training-set importances (from `unlearn importances`) for ssd / lf-ssd')
    .option('--retain <file>', 'retain set D \\ Df, for methods that train on it and for evidence')
    .option('--retain-labels <file>', 'labels of the retain set')
    .option('--train <file>', 'full training set D, for methods that compare against it (ssd, lf-ssd)')
    .option('--train-labels <file>', 'labels of the training set')
    .option('--eval-data <file>', 'held-out data: test accuracy, MIA non-members, and the validation set of method guards')
    .option('--eval-labels <file>', 'labels of the held-out data')
    .option('--validation <file>', "labelled held-out data for method guards and --auto's guard (default: --eval-data)")
    .option('--validation-labels <file>', 'labels of the validation set')
    .option('--auto', "search the method's strength on this model until the forget target is met (see docs: Unlearning your own model)")
    .option('--target-forget-acc <percent>', 'with --auto: forget accuracy to reach (default 5 for one class, else the validation accuracy)')
    .option('--max-retain-drop <points>', 'with --auto: most validation accuracy the kept classes may lose, in points (default 2)')
    .option('--budget <n>', 'with --auto: most trials (default 10)')
    .option('--budget-seconds <s>', 'with --auto: start no trial after this many seconds')
    .option('--allow-partial', 'with --auto: write the best trial even when none met the target (the record says so; exit 0)')
    .option('--seed <n>', 'seed for every random choice of the method (default 0)')
    .option('--allow-plugin-override <method>', "let a plugin's registration replace this first-party method (repeatable)", collect, [])
    .option('--sign-key <file>', 'sign the deletion record with this Ed25519 private key (PEM); check with `unlearn verify --public-key`')
    .addOption(backendOption())
    .requiredOption('--out <dir>', 'output folder for model.json, weights.bin and the deletion record')
    .option('--force', 'replace --out if it already holds files')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: ForgetFlags) => {
      env.out.json = Boolean(flags.json);
      await runForget(flags, env);
    });
}

/** The method to run and what was set up for it before any data is read. */
interface Prepared {
  unlearner: Unlearner;
  catalog: MethodCatalog;
  backend: string;
  signKey: KeyObject | undefined;
}

export async function runForget(flags: ForgetFlags, env: CommandEnv): Promise<void> {
  const { out, io } = env;
  const started = performance.now();
  checkFlagPairs(flags);
  const auto = autoOptions(flags);
  const seed = parseSeed(flags.seed);
  const outDir = resolve(io.cwd, flags.out);
  const protect = await protectedPaths(flags, io.cwd);
  const checkOut = () => checkOutDir(outDir, flags.out, Boolean(flags.force), protect, RECORD_JSON, io.cwd);
  await checkOut();
  // One run at a time per output folder: a second one fails now instead of losing its output later.
  const release = await claimOutDir(outDir, flags.out, out, checkOut);
  try {
    const prepared = await prepareMethod(flags, env);
    await forget(flags, env, prepared, { auto, seed, outDir, started });
  } finally {
    await release();
  }
}

function checkFlagPairs(flags: ForgetFlags): void {
  const given = flags as unknown as Record<string, unknown>;
  requirePair(given, '--retain-labels', '--retain');
  requirePair(given, '--train-labels', '--train');
  requirePair(given, '--eval-labels', '--eval-data');
  requirePair(given, '--validation-labels', '--validation');
}

/** Every input path, resolved (the model as its folder): --out may be none of them. */
async function protectedPaths(flags: ForgetFlags, cwd: string): Promise<string[]> {
  const inputs = [flags.model, flags.forget, flags.labels, flags.retain, flags.retainLabels, flags.train, flags.trainLabels, flags.evalData, flags.evalLabels, flags.validation, flags.validationLabels, flags.importances, flags.options, flags.signKey];
  const protect = inputs.filter((p): p is string => p !== undefined).map((p) => resolve(cwd, p));
  protect[0] = await modelFolder(protect[0]!);
  return protect;
}

/** The signing key, the backend and the method with its options, each checked before the model is loaded. */
async function prepareMethod(flags: ForgetFlags, { out, io }: CommandEnv): Promise<Prepared> {
  // A key that cannot sign fails now, not after the unlearning it would have signed.
  const signKey = flags.signKey === undefined ? undefined : await readSigningKey(flags.signKey, io.cwd);
  const backend = await useBackend(flags.backend, out);
  const catalog = await loadMethods(io.cwd, { methods: [flags.method], allowOverride: flags.allowPluginOverride });
  reportPlugins(out, catalog);
  for (const f of failedLoads(catalog)) {
    if (f.from !== 'first-party') out.warn(`plugin ${f.specifier} failed to load: ${f.error}`);
  }
  const options = await methodOptions(flags.options, flags.set, io.cwd, methodSchema(flags.method));
  const unlearner = createMethod(flags.method, options, catalog);
  checkNeeds(unlearner, flags);
  if (flags.auto && !unlearner.strength) {
    throw usageError(`${unlearner.name} declares no strength to search, so it has no --auto; \`unlearn methods\` lists the methods that do`);
  }
  return { unlearner, catalog, backend: backend.name, signKey };
}

/** The method with its options validated; an unknown name is a usage error listing the plugins that failed to load. */
function createMethod(name: string, options: Record<string, unknown>, catalog: MethodCatalog): Unlearner {
  try {
    const unlearner = createUnlearner(name, options);
    unlearner.validate?.();
    return unlearner;
  } catch (error) {
    if (isUnlearnError(error, 'UNKNOWN_METHOD')) {
      const failed = failedLoads(catalog).map((f) => `${f.specifier} (${f.error})`);
      const extra = failed.length ? `. Could not load: ${failed.join('; ')}` : '';
      throw usageError(`${error.message}${extra}. Run \`unlearn methods\` for details.`);
    }
    throw error;
  }
}

/** Loads the model and data, measures, unlearns, measures again, and writes the model with its record. */
async function forget(
  flags: ForgetFlags,
  { out, io }: CommandEnv,
  prepared: Prepared,
  run: { auto: AutoUnlearnOptions; seed: number | undefined; outDir: string; started: number },
): Promise<void> {
  const { signal } = io;
  const { unlearner } = prepared;
  const disposables: Disposables = [];
  try {
    out.status(`loading model ${flags.model}`);
    const model = await openModel(flags.model, io.cwd);
    disposables.push(model.adapter);
    const beforeFiles = await digestModelFiles(resolve(io.cwd, flags.model));
    const inputs = await loadForgetInputs(flags, model.adapter, unlearner, io.cwd, disposables);
    throwIfAborted(signal);
    const importances = await loadImportanceInput(flags, unlearner, out, io.cwd, disposables);
    const request = forgetRequest(inputs, importances, flags, out);

    const evidenceData = evidenceInputs(inputs);
    out.status('measuring the model before unlearning');
    const before = await measure(model.adapter, evidenceData, signal);
    throwIfAborted(signal);

    const { result, search } = await runMethod(model.adapter, request, unlearner, flags, { ...run, out, signal });
    disposables.push(result.model);

    out.status('measuring the model after unlearning');
    const after = await measure(result.model, evidenceData, signal);
    throwIfAborted(signal);

    const record = deletionRecord({
      flags,
      inputs,
      importances,
      catalog: prepared.catalog,
      method: unlearner.name,
      result,
      search,
      beforeFiles: beforeFiles.files,
      before,
      after,
    });
    await writeOutput(run.outDir, result.model, record, { signKey: prepared.signKey, started: run.started, signal });
    out.status(`wrote ${flags.out}`);
    reportForget(out, record, prepared.backend);
  } finally {
    for (const d of disposables.reverse()) d.dispose();
  }
}

/** One run of the method, or with --auto the search of its strength, under a progress bar. */
async function runMethod(
  model: ModelAdapter,
  request: ForgetRequest,
  unlearner: Unlearner,
  flags: ForgetFlags,
  run: { auto: AutoUnlearnOptions; seed: number | undefined; out: Output; signal: AbortSignal | undefined },
): Promise<{ result: UnlearnResult<ModelAdapter>; search?: AutoRecord }> {
  const { auto, seed, out, signal } = run;
  out.status(`unlearning with ${unlearner.name}${flags.auto ? ' (auto: searching its strength)' : ''}`);
  const bar = new ProgressBar(out);
  bar.start(unlearner.name);
  const logger = { debug() {}, info: (m: string) => out.status(m), warn: (m: string) => out.warn(m) };
  const runOptions = { ...(seed !== undefined ? { seed } : {}), ...(signal ? { signal } : {}), logger };
  try {
    if (!flags.auto) return { result: await unlearn(model, request, unlearner, { ...runOptions, onProgress: (e) => bar.update(e) }) };
    const found = await autoUnlearn(model, request, unlearner, {
      ...runOptions,
      ...auto,
      onTrial: (t, i) => bar.update({ phase: `trial ${i + 1} ${t.strength.toPrecision(3)}`, step: i + 1, total: auto.maxTrials ?? 10 }),
    });
    checkAutoOutcome(found, Boolean(flags.allowPartial));
    if (!found.satisfied) out.warn(`--auto: ${found.reason}; written because of --allow-partial`);
    return { result: found.result!, search: autoRecord(found) };
  } catch (error) {
    throw translateCoreError(error);
  } finally {
    bar.stop();
  }
}

/** The model and its record, written into --out at once (or not at all); the record is completed and signed here. */
async function writeOutput(
  outDir: string,
  model: ModelAdapter,
  record: DeletionRecord,
  { signKey, started, signal }: { signKey: KeyObject | undefined; started: number; signal: AbortSignal | undefined },
): Promise<void> {
  await writeDirAtomically(outDir, async (tmp) => {
    await saveModel(model.model as LayersModel, tmp);
    record.model.after.files = (await digestModelFiles(tmp)).files;
    throwIfAborted(signal);
    record.timing.totalMs = performance.now() - started;
    record.digest = recordDigest(record);
    if (signKey) record.signature = signDigest(record.digest, signKey);
    await writeFile(join(tmp, RECORD_JSON), `${JSON.stringify(record, null, 2)}\n`);
    await writeFile(join(tmp, RECORD_MD), renderRecordMarkdown(record));
  });
}
