import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createUnlearner, hasUnlearner, isSeed, MAX_SEED } from '@unlearn/core';
import { writeDirAtomically } from '@unlearn/core/node';
import type { BenchmarkReport } from '@unlearn/eval';
import type { AutoSearch } from '@unlearn/jobs';
import { loadSplit, type LoadedSplit } from '../data.js';
import { badInput, usageError } from '../exit-codes.js';
import { buildScenario, evalApi, parseScenario } from '../eval-api.js';
import { methodOptions } from '../method-options.js';
import { claimOutDir } from '../claim-out.js';
import { failedLoads, loadMethods, reportPlugins } from '../methods.js';
import { ProgressBar } from '../progress.js';
import { queuedBenchmark } from '../bench-grid.js';
import { jobsApi } from '../jobs-api.js';
import { benchAutoSpec, searchTable } from '../bench-auto.js';
import type { AutoFlags } from './forget-auto.js';
import { backendOption, checkOutDir, modelFolder, openModel, useBackend } from './common.js';
import type { CommandEnv } from './env.js';

interface BenchFlags extends Pick<AutoFlags, 'auto' | 'targetForgetAcc' | 'maxRetainDrop' | 'budget'> {
  model: string;
  data: string;
  labels?: string;
  test: string;
  testLabels?: string;
  scenario: string[];
  methods: string;
  options?: string;
  set: string[];
  seeds: string;
  allowPluginOverride: string[];
  retrain: boolean;
  cacheDir?: string;
  store?: string;
  queue?: string;
  queueName?: string;
  title?: string;
  backend?: string;
  out: string;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function parseSeeds(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  // Number('') is 0: an empty entry ("1,,2") must not run seed 0. The range is core's, which
  // refuses seeds past 32 bits when the run starts.
  const seeds = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  if (!seeds.every(isSeed)) {
    throw usageError(`--seeds must be a comma-separated list of integers from 0 to ${MAX_SEED} (got "${text}")`);
  }
  return seeds;
}

export function benchCommand(program: Command, env: CommandEnv): void {
  program
    .command('bench')
    .description("Compare methods on forgetting scenarios with @unlearn/eval's benchmark; writes report.json, report.md and report.html into --out")
    .requiredOption('--model <path>', 'the trained model every method starts from')
    .requiredOption('--data <file>', 'the training set D, labelled')
    .option('--labels <file>', 'labels of --data')
    .requiredOption('--test <file>', 'held-out test set, labelled')
    .option('--test-labels <file>', 'labels of --test')
    .option('--scenario <spec>', 'full-class:<class>, random:<count> or random:<fraction> (repeatable)', collect, [])
    .requiredOption('--methods <names>', 'comma-separated method names, e.g. jit,ssd,finetune')
    .option('--options <file>', 'options per method as JSON: { "jit": { ... }, "retrain": { ... } }')
    .option('--set <method.key=value>', 'one option of one method, e.g. jit.sigma=0.5 (repeatable)', collect, [])
    .option('--seeds <list>', 'comma-separated seeds', '0')
    .option('--allow-plugin-override <method>', "let a plugin's registration replace this first-party method (repeatable)", collect, [])
    .option('--no-retrain', 'skip the retrained reference (and the metrics that compare against it)')
    .option('--cache-dir <dir>', 'keep retrained references here and reuse them between runs')
    .option('--store <dir>', 'run the grid as jobs whose results are kept in this folder: a rerun runs only what is missing')
    .option('--queue <url>', 'send the jobs to `unlearn worker`s through this Redis server (redis://host:port); needs --store, shared with the workers')
    .option('--queue-name <name>', 'queue name, when one Redis server holds several grids')
    .option('--auto', "search each method's strength (as `forget --auto` does, the test set guarding the kept classes) and evaluate the chosen model; needs --store")
    .option('--target-forget-acc <percent>', 'with --auto: forget accuracy to reach (default 5 for one class, else the test accuracy)')
    .option('--max-retain-drop <points>', 'with --auto: most test accuracy the kept classes may lose, in points (default 2)')
    .option('--budget <n>', 'with --auto: most trials per search (default 10)')
    .option('--title <text>', 'report title')
    .addOption(backendOption())
    .requiredOption('--out <dir>', 'folder for report.json, report.md and report.html')
    .option('--force', 'replace --out if it already holds files')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: BenchFlags) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      if (flags.scenario.length === 0) throw usageError('bench needs at least one --scenario');
      const specs = flags.scenario.map(parseScenario);
      const seeds = parseSeeds(flags.seeds);
      const names = flags.methods.split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) throw usageError('--methods lists no method');
      if (flags.queue && !flags.store) throw usageError('--queue needs --store <dir>: the folder the workers share for models, data and results');
      if (flags.store && flags.cacheDir) throw usageError('--store keeps the retrained references itself; leave out --cache-dir');
      const auto = benchAutoSpec(flags);
      const outDir = resolve(io.cwd, flags.out);
      const inputs = [flags.model, flags.data, flags.labels, flags.test, flags.testLabels, flags.options, flags.cacheDir, flags.store];
      const protect = inputs.filter((p): p is string => p !== undefined).map((p) => resolve(io.cwd, p));
      protect[0] = await modelFolder(protect[0]!);
      const checkOut = () => checkOutDir(outDir, flags.out, Boolean(flags.force), protect, 'report.json', io.cwd);
      await checkOut();
      const options = await methodOptions(flags.options, flags.set, io.cwd);
      const backend = await useBackend(flags.backend, out);
      const api = await evalApi();
      const catalog = await loadMethods(io.cwd, {
        methods: flags.retrain ? [...names, 'retrain'] : names,
        allowOverride: flags.allowPluginOverride,
      });
      reportPlugins(out, catalog);
      for (const f of failedLoads(catalog)) {
        if (f.from !== 'first-party') out.warn(`plugin ${f.specifier} failed to load: ${f.error}`);
      }
      const optionsOf = (name: string) => (options[name] ?? {}) as Record<string, unknown>;
      for (const name of names) {
        if (!hasUnlearner(name)) createUnlearner(name); // throws UNKNOWN_METHOD with the registered list
        if (auto && !createUnlearner(name, optionsOf(name)).strength) {
          throw usageError(`${name} declares no strength to search, so it has no --auto; \`unlearn methods\` lists the methods that do`);
        }
      }
      let retrain: (() => ReturnType<typeof createUnlearner>) | undefined;
      if (flags.retrain) {
        if (!hasUnlearner('retrain')) {
          const why = failedLoads(catalog).find((l) => l.specifier === '@unlearn/retrain')?.error;
          throw usageError(`The retrained reference needs the 'retrain' method (@unlearn/retrain${why ? `: ${why}` : ' is not loaded'}); pass --no-retrain to skip it`);
        }
        retrain = () => createUnlearner('retrain', optionsOf('retrain'));
      }
      const metrics = flags.retrain ? api.defaultMetrics : api.defaultMetrics.filter((m) => !m.needsRetrained);
      if (flags.store) {
        // Jobs may run on other machines, with the workers' permissions: refuse options that read
        // or write files (a checkpoint folder) before any data is loaded.
        const jobs = await jobsApi();
        for (const name of flags.retrain ? [...names, 'retrain'] : names) {
          try {
            jobs.checkJobOptions(name, optionsOf(name));
          } catch (error) {
            throw usageError((error as Error).message);
          }
        }
      }

      const release = await claimOutDir(outDir, flags.out, out, checkOut);
      const model = await openModel(flags.model, io.cwd).catch(async (error: unknown) => {
        await release();
        throw error;
      });
      const splits: LoadedSplit[] = [];
      try {
        const train = await loadSplit(model.adapter, { role: 'data', xFlag: '--data', x: flags.data, yFlag: '--labels', y: flags.labels }, io.cwd);
        splits.push(train);
        const test = await loadSplit(model.adapter, { role: 'test', xFlag: '--test', x: flags.test, yFlag: '--test-labels', y: flags.testLabels }, io.cwd);
        splits.push(test);
        if (!train.data.y) throw badInput('MISSING_LABELS', `Benchmarks need labels: pass --labels <file> for ${flags.data}`);
        if (!test.data.y) throw badInput('MISSING_LABELS', `Benchmarks need labels: pass --test-labels <file> for ${flags.test}`);

        const bar = new ProgressBar(out);
        bar.start('benchmark', 1);
        let report: BenchmarkReport;
        let searches: AutoSearch[] | undefined;
        try {
          const data = { train: { x: train.data.x, y: train.data.y }, test: { x: test.data.x, y: test.data.y } };
          if (flags.store) {
            ({ report, searches } = await queuedBenchmark({
              store: flags.store,
              ...(flags.queue ? { queue: flags.queue } : {}),
              ...(flags.queueName ? { queueName: flags.queueName } : {}),
              model: model.adapter.model,
              data,
              scenarios: specs,
              methods: names,
              optionsOf,
              retrain: Boolean(retrain),
              ...(auto ? { auto } : {}),
              seeds,
              metrics,
              backend: backend.name,
              ...(flags.title ? { title: flags.title } : {}),
              ...(io.signal ? { signal: io.signal } : {}),
              cwd: io.cwd,
              out,
            }));
          } else {
            report = await api.node.benchmark({
              model: model.adapter.model,
              data,
              scenarios: specs.map((s) => buildScenario(api, s)),
              unlearners: Object.fromEntries(names.map((n) => [n, () => createUnlearner(n, optionsOf(n))])),
              seeds,
              metrics,
              ...(retrain ? { retrain } : {}),
              ...(flags.cacheDir ? { cacheDir: resolve(io.cwd, flags.cacheDir) } : {}),
              ...(flags.title ? { title: flags.title } : {}),
              ...(io.signal ? { signal: io.signal } : {}),
              onProgress: (e) => {
                if (e.status !== 'running') out.status(`[${e.cell}/${e.total}] ${e.scenario} seed ${e.seed} ${e.method}: ${e.status}`);
                bar.update({ phase: `${e.method} ${e.scenario}`, step: e.status === 'done' || e.status === 'cached' || e.status === 'failed' ? e.cell : e.cell - 1, total: e.total });
              },
            });
          }
        } finally {
          bar.stop();
        }
        const files = { json: join(flags.out, 'report.json'), md: join(flags.out, 'report.md'), html: join(flags.out, 'report.html') };
        await writeDirAtomically(outDir, async (tmp) => {
          await api.node.writeReport(report, join(tmp, 'report'));
        });
        if (report.timings.failedRuns > 0) out.warn(`${report.timings.failedRuns} run(s) failed; see the error column of ${files.md}`);
        if (out.json) out.result({ ok: true, backend: backend.name, files, report: JSON.parse(api.toJson(report)), ...(searches ? { searches } : {}) });
        else {
          out.line(api.toMarkdown(report));
          if (searches) out.line(['', '## Auto searches (every trial is in report.json, under each run\'s details.auto)', '', ...searchTable(searches)].join('\n'));
          out.line(`Wrote ${files.json}, ${files.md} and ${files.html}`);
        }
      } finally {
        await release();
        splits.forEach((s) => s.dispose());
        model.adapter.dispose();
      }
    });
}
