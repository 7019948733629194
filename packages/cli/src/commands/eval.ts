import * as tf from '@tensorflow/tfjs-core';
import type { SplitName } from '@unlearn/eval';
import type { Command } from 'commander';
import { loadSplit, type LoadedSplit } from '../data.js';
import { badInput } from '../exit-codes.js';
import { buildScenario, evalApi, parseScenario } from '../eval-api.js';
import { backendOption, openModel, parseSeed, requirePair, useBackend } from './common.js';
import type { CommandEnv } from './env.js';

interface EvalFlags {
  model: string;
  data: string;
  labels?: string;
  test?: string;
  testLabels?: string;
  scenario: string;
  seed?: string;
  backend?: string;
  json?: boolean;
}

const METRIC_LABELS: Record<string, string> = {
  forgetTrainAcc: 'forget train accuracy',
  retainTrainAcc: 'retain train accuracy',
  forgetTestAcc: 'forget test accuracy',
  retainTestAcc: 'retain test accuracy',
  testAcc: 'test accuracy',
  mia: 'MIA (forget samples called members)',
};

/** The metrics this command has always printed first, in its order, then any other. */
function inCliOrder(values: Record<string, number>): Record<string, number> {
  const first = Object.keys(METRIC_LABELS).filter((id) => id in values);
  return Object.fromEntries([...first, ...Object.keys(values).filter((id) => !(id in METRIC_LABELS))].map((id) => [id, values[id]!]));
}

export function evalCommand(program: Command, env: CommandEnv): void {
  program
    .command('eval')
    .description('Measure a model on a forgetting scenario: accuracy on forget/retain splits and the entropy membership-inference attack')
    .requiredOption('--model <path>', 'the model to evaluate (folder or model.json)')
    .requiredOption('--data <file>', 'the training set D the scenario splits into forget and retain')
    .option('--labels <file>', 'labels of --data (image folders may use class subfolders)')
    .option('--test <file>', 'held-out test set (needed for test accuracies and MIA)')
    .option('--test-labels <file>', 'labels of --test')
    .requiredOption('--scenario <spec>', 'full-class:<class>, random:<count> or random:<fraction>')
    .option('--seed <n>', 'seed of the random scenario (default 0)')
    .addOption(backendOption())
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: EvalFlags) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      requirePair(flags as unknown as Record<string, unknown>, '--test-labels', '--test');
      const spec = parseScenario(flags.scenario);
      const seed = parseSeed(flags.seed) ?? 0;
      const backend = await useBackend(flags.backend, out);
      const api = await evalApi();
      const scenario = buildScenario(api, spec);
      const model = await openModel(flags.model, io.cwd);
      const splits: LoadedSplit[] = [];
      try {
        const train = await loadSplit(model.adapter, { role: 'data', xFlag: '--data', x: flags.data, yFlag: '--labels', y: flags.labels }, io.cwd);
        splits.push(train);
        if (!train.data.y) throw badInput('MISSING_LABELS', `Scenarios choose samples by label: pass --labels <file> for ${flags.data}`);
        const test = flags.test
          ? await loadSplit(model.adapter, { role: 'test', xFlag: '--test', x: flags.test, yFlag: '--test-labels', y: flags.testLabels }, io.cwd)
          : undefined;
        if (test) splits.push(test);
        if (test && !test.data.y) throw badInput('MISSING_LABELS', `Test accuracies need labels: pass --test-labels <file> for ${flags.test}`);

        // eval's metric definitions, as its benchmark computes them: a metric added there is printed here.
        let sets: Partial<Record<SplitName, { x: tf.Tensor; y: tf.Tensor }>>;
        let sizes: Record<string, number>;
        const owned: tf.Tensor[] = [];
        let chosenSplits: { dispose(): void } | undefined;
        if (test) {
          const s = await scenario.split({ train: { x: train.data.x, y: train.data.y! }, test: { x: test.data.x, y: test.data.y! } }, seed);
          chosenSplits = s;
          sets = { forgetTrain: s.forgetTrain, retainTrain: s.retainTrain, forgetTest: s.forgetTest, retainTest: s.retainTest, test: s.test };
          sizes = { forgetTrain: s.forgetTrain.labels.length, retainTrain: s.retainTrain.labels.length, forgetTest: s.forgetTest.labels.length, retainTest: s.retainTest.labels.length, test: s.test.labels.length };
        } else {
          // Without a test set only the train-side splits exist; the scenario's test rules are fed the train labels and ignored.
          const labels = Int32Array.from(await train.data.y!.data());
          const chosen = scenario.indices({ train: labels, test: labels }, seed);
          const forgetRows = Int32Array.from(chosen.forgetTrain);
          const forgetSet = new Set(forgetRows);
          const retainRows = chosen.retainTrain ? Int32Array.from(chosen.retainTrain) : Int32Array.from(labels.keys()).filter((i) => !forgetSet.has(i));
          sizes = { forgetTrain: forgetRows.length, retainTrain: retainRows.length };
          sets = {};
          for (const [name, rows] of [['forgetTrain', forgetRows], ['retainTrain', retainRows]] as const) {
            if (rows.length === 0) continue;
            const idx = tf.tensor1d(rows, 'int32');
            const set = { x: tf.gather(train.data.x, idx), y: tf.gather(train.data.y!, idx) };
            idx.dispose();
            owned.push(set.x, set.y);
            sets[name] = set;
          }
        }
        let measured: Awaited<ReturnType<typeof api.measureModel>>;
        try {
          measured = await api.measureModel(model.adapter, sets);
        } finally {
          chosenSplits?.dispose();
          tf.dispose(owned);
        }
        const metrics = inCliOrder(measured.values);
        const defs = new Map(api.defaultMetrics.map((m) => [m.id, m]));
        const result = { ok: true, scenario: scenario.name, seed, backend: backend.name, sizes, metrics };
        if (out.json) out.result(result);
        else {
          out.line(`${scenario.name} on ${flags.model} (seed ${seed}, ${backend.name})`);
          out.line(`  splits: ${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          for (const [id, v] of Object.entries(metrics)) {
            const def = defs.get(id);
            const shown = def && def.unit !== 'fraction' ? v.toPrecision(4) : `${(v * 100).toFixed(2)}%`;
            out.line(`  ${(METRIC_LABELS[id] ?? def?.label ?? id).padEnd(38)} ${shown}`);
          }
          if (!test) out.line('  (pass --test and --test-labels for test accuracies and MIA)');
        }
      } finally {
        splits.forEach((s) => s.dispose());
        model.adapter.dispose();
      }
    });
}
