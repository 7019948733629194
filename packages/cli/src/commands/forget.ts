import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  autoUnlearn,
  createUnlearner,
  hashWeights,
  isUnlearnError,
  methodSchema,
  registeredUnlearners,
  toModelAdapter,
  unlearn,
  type ForgetRequest,
  type Unlearner,
} from '@unlearn/core';
import { saveModel, writeDirAtomically } from '@unlearn/core/node';
import { loadSplit, type LoadedSplit, type RequestDataFlags, type SplitSpec } from '../data.js';
import { measure, type Evidence } from '../evidence.js';
import { usageError } from '../exit-codes.js';
import { digestFile, combinedSha256, type FileDigest } from '../hash.js';
import { methodOptions } from '../method-options.js';
import { importanceApi } from '../ssd-api.js';
import { claimOutDir } from '../claim-out.js';
import { failedLoads, loadMethods, reportPlugins } from '../methods.js';
import { pluginRecords } from '../plugin-load.js';
import type { PluginLoad } from '../plugins.js';
import { digestModelFiles } from '../model-files.js';
import { ProgressBar } from '../progress.js';
import { RECORD_JSON, RECORD_MD, RECORD_VERSION, renderRecordMarkdown, type BeforeAfter, type DeletionRecord, type SplitRecord } from '../record.js';
import { recordDigest } from '../record-digest.js';
import { readSigningKey, signDigest } from '../record-signature.js';
import { softwareVersions } from '../versions.js';
import { backendOption, checkOutDir, modelFolder, openModel, parseSeed, requirePair, throwIfAborted, useBackend } from './common.js';
import type { CommandEnv } from './env.js';
import { checkLabelsGiven, checkNeeds, translateCoreError } from './forget-checks.js';
import { autoOptions, autoRecord, checkAutoOutcome, type AutoFlags, type AutoRecord } from './forget-auto.js';
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

function splitRecord(s: LoadedSplit): SplitRecord {
  return { samples: s.samples, inputs: s.x, ...(s.y ? { labels: s.y } : {}) };
}

function pair(before: number | undefined, after: number | undefined): BeforeAfter | undefined {
  return before === undefined || after === undefined ? undefined : { before, after };
}

async function digestFolder(dir: string, given: string): Promise<{ path: string; sha256: string; files: FileDigest[] }> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const files: FileDigest[] = [];
  for (const n of names) files.push(await digestFile(join(dir, n), n));
  return { path: given, sha256: combinedSha256(files), files };
}

export async function runForget(flags: ForgetFlags, env: CommandEnv): Promise<void> {
  const { out, io } = env;
  const started = performance.now();
  const signal = io.signal;
  requirePair(flags as unknown as Record<string, unknown>, '--retain-labels', '--retain');
  requirePair(flags as unknown as Record<string, unknown>, '--train-labels', '--train');
  requirePair(flags as unknown as Record<string, unknown>, '--eval-labels', '--eval-data');
  requirePair(flags as unknown as Record<string, unknown>, '--validation-labels', '--validation');
  const auto = autoOptions(flags);
  const seed = parseSeed(flags.seed);
  const outDir = resolve(io.cwd, flags.out);
  const inputs = [flags.model, flags.forget, flags.labels, flags.retain, flags.retainLabels, flags.train, flags.trainLabels, flags.evalData, flags.evalLabels, flags.validation, flags.validationLabels, flags.importances, flags.options, flags.signKey];
  const protect = inputs.filter((p): p is string => p !== undefined).map((p) => resolve(io.cwd, p));
  protect[0] = await modelFolder(protect[0]!);
  const checkOut = () => checkOutDir(outDir, flags.out, Boolean(flags.force), protect, RECORD_JSON, io.cwd);
  await checkOut();
  // One run at a time per output folder: a second one fails now instead of losing its output later.
  const release = await claimOutDir(outDir, flags.out, out, checkOut);
  try {
    // A key that cannot sign fails now, not after the unlearning it would have signed.
    const signKey = flags.signKey === undefined ? undefined : await readSigningKey(flags.signKey, io.cwd);
    const backend = await useBackend(flags.backend, out);
    const catalog = await loadMethods(io.cwd, { methods: [flags.method], allowOverride: flags.allowPluginOverride });
    reportPlugins(out, catalog);
    for (const f of failedLoads(catalog)) {
      if (f.from !== 'first-party') out.warn(`plugin ${f.specifier} failed to load: ${f.error}`);
    }
    const options = await methodOptions(flags.options, flags.set, io.cwd, methodSchema(flags.method));
    let unlearner: Unlearner;
    try {
      unlearner = createUnlearner(flags.method, options);
      unlearner.validate?.();
    } catch (error) {
      if (isUnlearnError(error, 'UNKNOWN_METHOD')) {
        const failed = failedLoads(catalog).map((f) => `${f.specifier} (${f.error})`);
        const extra = failed.length ? `. Could not load: ${failed.join('; ')}` : '';
        throw usageError(`${error.message}${extra}. Run \`unlearn methods\` for details.`);
      }
      throw error;
    }
    checkNeeds(unlearner, flags);
    if (flags.auto && !unlearner.strength) {
      throw usageError(`${unlearner.name} declares no strength to search, so it has no --auto; \`unlearn methods\` lists the methods that do`);
    }

    const disposables: { dispose(): void }[] = [];
    try {
      out.status(`loading model ${flags.model}`);
      const model = await openModel(flags.model, io.cwd);
      disposables.push(model.adapter);
      const beforeFiles = await digestModelFiles(resolve(io.cwd, flags.model));

      const load = async (spec: SplitSpec | undefined) => {
        if (!spec) return undefined;
        const split = await loadSplit(model.adapter, spec, io.cwd);
        disposables.push(split);
        return split;
      };
      const forget = (await load({ role: 'forget', xFlag: '--forget', x: flags.forget, yFlag: '--labels', y: flags.labels }))!;
      const retain = await load(flags.retain ? { role: 'retain', xFlag: '--retain', x: flags.retain, yFlag: '--retain-labels', y: flags.retainLabels } : undefined);
      const train = await load(flags.train ? { role: 'train', xFlag: '--train', x: flags.train, yFlag: '--train-labels', y: flags.trainLabels } : undefined);
      const evaluation = await load(
        flags.evalData ? { role: 'evaluation', xFlag: '--eval-data', x: flags.evalData, yFlag: '--eval-labels', y: flags.evalLabels } : undefined,
      );
      const validation = await load(
        flags.validation
          ? { role: 'validation', xFlag: '--validation', x: flags.validation, yFlag: '--validation-labels', y: flags.validationLabels }
          : undefined,
      );
      checkLabelsGiven(unlearner, [
        { flag: '--labels', split: forget },
        { flag: '--retain-labels', split: retain },
        { flag: '--train-labels', split: train },
      ]);
      throwIfAborted(signal);

      let importances: { value: unknown; record: { path: string; sha256: string; files: FileDigest[] } } | undefined;
      if (flags.importances) {
        if (!unlearner.needs.acceptsImportances) {
          out.warn(`${unlearner.name} does not use precomputed importances; --importances is ignored`);
        } else {
          const dir = resolve(io.cwd, flags.importances);
          const { loadImportances, disposeImportances } = await importanceApi();
          const set = await loadImportances(dir);
          disposables.push({ dispose: () => disposeImportances(set) });
          importances = { value: set, record: await digestFolder(dir, flags.importances) };
        }
      }

      const request: ForgetRequest = { forget: forget.data };
      if (retain) request.retain = retain.data;
      if (train) request.train = train.data;
      const guardSet = validation ?? evaluation;
      if (guardSet?.data.y) request.validation = guardSet.data;
      if (flags.auto && !request.validation) {
        out.warn('--auto without a labelled --validation (or --eval-data) set: no utility guard; the weakest strength that meets the target is kept');
      }
      if (importances) request.importances = importances.value;

      const evidenceData = {
        forget: forget.data,
        ...(retain ? { retain: retain.data } : {}),
        ...(train ? { train: train.data } : {}),
        ...(evaluation ? { evaluation: evaluation.data } : {}),
      };
      out.status('measuring the model before unlearning');
      const before = await measure(model.adapter, evidenceData, signal);
      const weightsBefore = await hashWeights(model.adapter);
      throwIfAborted(signal);

      out.status(`unlearning with ${unlearner.name}${flags.auto ? ' (auto: searching its strength)' : ''}`);
      const bar = new ProgressBar(out);
      bar.start(unlearner.name);
      let result;
      let search: AutoRecord | undefined;
      const logger = { debug() {}, info: (m: string) => out.status(m), warn: (m: string) => out.warn(m) };
      const runOptions = { ...(seed !== undefined ? { seed } : {}), ...(signal ? { signal } : {}), logger };
      try {
        if (flags.auto) {
          const found = await autoUnlearn(model.adapter.model, request, unlearner, {
            ...runOptions,
            ...auto,
            onTrial: (t, i) => bar.update({ phase: `trial ${i + 1} ${t.strength.toPrecision(3)}`, step: i + 1, total: auto.maxTrials ?? 10 }),
          });
          checkAutoOutcome(found, Boolean(flags.allowPartial));
          if (!found.satisfied) out.warn(`--auto: ${found.reason}; written because of --allow-partial`);
          result = found.result!;
          search = autoRecord(found);
        } else {
          result = await unlearn(model.adapter.model, request, unlearner, { ...runOptions, onProgress: (e) => bar.update(e) });
        }
      } catch (error) {
        throw translateCoreError(error);
      } finally {
        bar.stop();
      }
      const unlearned = toModelAdapter(result.model);
      disposables.push(unlearned);

      out.status('measuring the model after unlearning');
      const after = await measure(unlearned, evidenceData, signal);
      const weightsAfter = await hashWeights(unlearned);
      throwIfAborted(signal);

      const info = registeredUnlearners().find((m) => m.name === unlearner.name);
      const changed = result.changes.reduce((n, c) => n + c.changed, 0);
      const total = result.changes.reduce((n, c) => n + c.size, 0);
      const record: DeletionRecord = {
        format: 'unlearn-deletion-record',
        version: RECORD_VERSION,
        id: randomUUID(),
        createdAt: new Date().toISOString(),
        request: {
          forget: splitRecord(forget),
          ...(retain ? { retain: splitRecord(retain) } : {}),
          ...(train ? { train: splitRecord(train) } : {}),
          ...(evaluation ? { evaluation: splitRecord(evaluation) } : {}),
          ...(validation ? { validation: splitRecord(validation) } : {}),
          ...(importances ? { importances: importances.record } : {}),
        },
        method: {
          name: result.method,
          // A plugin's registration names the plugin, whatever source it claimed.
          ...(catalog.providers[unlearner.name] ? { source: catalog.providers[unlearner.name] } : info?.source ? { source: info.source } : {}),
          options: toJsonSafe(result.options),
          details: toJsonSafe(result.details) as Record<string, unknown>,
        },
        seed: result.seed,
        plugins: pluginRecords(catalog.loads),
        ...(search ? { auto: search } : {}),
        environment: {
          backend: result.backend,
          tfjs: result.tfjsVersion,
          packages: softwareVersions(pluginVersions(catalog.loads)).packages,
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
        },
        model: {
          before: { path: flags.model, weightsSha256: weightsBefore, files: beforeFiles.files },
          after: { path: flags.out, weightsSha256: weightsAfter, files: [] },
        },
        timing: { unlearnMs: search ? search.searchMs : result.timeMs, totalMs: 0 },
        evidence: {
          ...evidencePairs(before.evidence, after.evidence),
          parameters: {
            changed,
            total,
            variablesChanged: result.changes.filter((c) => c.changed > 0).length,
            variables: result.changes.length,
            layers: result.layers.map(({ name, changed, size, stateChanged }) => ({ name, changed, size, stateChanged })),
          },
          notes: [...new Set([...before.notes, ...after.notes])],
        },
      };

      await writeDirAtomically(outDir, async (tmp) => {
        await saveModel(result.model as LayersModel, tmp);
        record.model.after.files = (await digestModelFiles(tmp)).files;
        throwIfAborted(signal);
        record.timing.totalMs = performance.now() - started;
        record.digest = recordDigest(record);
        if (signKey) record.signature = signDigest(record.digest, signKey);
        await writeFile(join(tmp, RECORD_JSON), `${JSON.stringify(record, null, 2)}\n`);
        await writeFile(join(tmp, RECORD_MD), renderRecordMarkdown(record));
      });
      out.status(`wrote ${flags.out}`);
      reportForget(out, record, backend.name);
    } finally {
      for (const d of disposables.reverse()) d.dispose();
    }
  } finally {
    await release();
  }
}

function evidencePairs(b: Evidence, a: Evidence): Partial<DeletionRecord['evidence']> {
  const e: Partial<DeletionRecord['evidence']> = {};
  const f = pair(b.forgetAccuracy, a.forgetAccuracy);
  const r = pair(b.retainAccuracy, a.retainAccuracy);
  const t = pair(b.testAccuracy, a.testAccuracy);
  const m = pair(b.mia, a.mia);
  if (f) e.forgetAccuracy = f;
  if (r) e.retainAccuracy = r;
  if (t) e.testAccuracy = t;
  if (m) e.mia = m;
  return e;
}

/** Versions of the plugins that loaded (first-party versions come from softwareVersions). */
function pluginVersions(loads: PluginLoad[]): Record<string, string | undefined> {
  return Object.fromEntries(loads.filter((l) => l.ok && l.from !== 'first-party').map((l) => [l.specifier, l.version]));
}

/** Options may hold functions or RegExps (layer filters); the record keeps a readable form. */
function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? {}, (_k, v: unknown) => (typeof v === 'function' ? `[function ${(v as { name?: string }).name || 'anonymous'}]` : v instanceof RegExp ? String(v) : v)),
  );
}
