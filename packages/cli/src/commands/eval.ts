import * as tf from '@tensorflow/tfjs-core';
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

        const metrics: Record<string, number> = {};
        let sizes: Record<string, number>;
        if (test) {
          const s = await scenario.split({ train: { x: train.data.x, y: train.data.y! }, test: { x: test.data.x, y: test.data.y! } }, seed);
          try {
            sizes = { forgetTrain: s.forgetTrain.labels.length, retainTrain: s.retainTrain.labels.length, forgetTest: s.forgetTest.labels.length, retainTest: s.retainTest.labels.length, test: s.test.labels.length };
            for (const [id, split] of [['forgetTrainAcc', s.forgetTrain], ['retainTrainAcc', s.retainTrain], ['forgetTestAcc', s.forgetTest], ['retainTestAcc', s.retainTest], ['testAcc', s.test]] as const) {
              metrics[id] = await api.accuracy(model.adapter, { x: split.x, y: split.y });
            }
            metrics.mia = (await api.membershipInference(model.adapter, { retainTrain: { x: s.retainTrain.x }, test: { x: s.test.x }, forgetTrain: { x: s.forgetTrain.x } })).value;
          } finally {
            s.dispose();
          }
        } else {
          // Without a test set only the train-side splits exist; the scenario's test rules are fed the train labels and ignored.
          const labels = Int32Array.from(await train.data.y!.data());
          const chosen = scenario.indices({ train: labels, test: labels }, seed);
          const forgetRows = Int32Array.from(chosen.forgetTrain);
          const forgetSet = new Set(forgetRows);
          const retainRows = chosen.retainTrain ? Int32Array.from(chosen.retainTrain) : Int32Array.from(labels.keys()).filter((i) => !forgetSet.has(i));
          sizes = { forgetTrain: forgetRows.length, retainTrain: retainRows.length };
          for (const [id, rows] of [['forgetTrainAcc', forgetRows], ['retainTrainAcc', retainRows]] as const) {
            if (rows.length === 0) continue;
            const idx = tf.tensor1d(rows, 'int32');
            const x = tf.gather(train.data.x, idx);
            const y = tf.gather(train.data.y!, idx);
            try {
              metrics[id] = await api.accuracy(model.adapter, { x, y });
            } finally {
              tf.dispose([idx, x, y]);
            }
          }
        }
        const result = { ok: true, scenario: scenario.name, seed, backend: backend.name, sizes, metrics };
        if (out.json) out.result(result);
        else {
          out.line(`${scenario.name} on ${flags.model} (seed ${seed}, ${backend.name})`);
          out.line(`  splits: ${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          for (const [id, v] of Object.entries(metrics)) out.line(`  ${(METRIC_LABELS[id] ?? id).padEnd(38)} ${(v * 100).toFixed(2)}%`);
          if (!test) out.line('  (pass --test and --test-labels for test accuracies and MIA)');
        }
      } finally {
        splits.forEach((s) => s.dispose());
        model.adapter.dispose();
      }
    });
}
