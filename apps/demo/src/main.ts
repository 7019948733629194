// The README's main job: `npm run demo` forgets one MNIST digit with every method and compares
// them with a retrained model, printing a table and writing an HTML report with charts.
import { availableParallelism, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { selectBackend } from '@unlearn/core';
import { fullClass, toMarkdown, type BenchmarkProgress } from '@unlearn/eval';
import { benchmark, writeReport } from '@unlearn/eval/node';
import { buildMnistCnn, loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { parseDemoArgs, USAGE } from './args.js';
import { demoReference, demoUnlearners } from './methods.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
// Paths as the user would type them from where they ran npm (npm runs scripts in the workspace).
const shown = (path: string) => {
  const rel = relative(process.env.INIT_CWD ?? process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

async function main(): Promise<void> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed the command.
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), args.out);
  const cacheDir = resolve(out, '.retrain-cache');
  const backend = await selectBackend(args.backend === 'auto' ? {} : { backend: args.backend });
  const threads = args.threads ?? Math.min(4, availableParallelism());
  console.log(
    `unlearn demo: forget digit ${args.digit} from a pretrained MNIST CNN (backend ${backend.name}, ${threads} thread${threads === 1 ? '' : 's'}, seed ${args.seed}${args.quick ? ', quick' : ''})`,
  );

  const { train, test } = loadMnist();
  const model = await loadPretrainedMnistCnn();
  console.log(`data: ${train.x.shape[0]} training and ${test.x.shape[0]} test digits from the npm package "mnist"`);
  console.log(`methods: ${args.methods.join(', ')}; reference: retrain from scratch without digit ${args.digit}\n`);

  const report = await benchmark({
    title: `Forgetting digit ${args.digit} from the MNIST CNN`,
    model,
    data: { train, test },
    scenarios: [fullClass(args.digit)],
    unlearners: demoUnlearners(args.methods, args.quick, threads),
    retrain: demoReference(args.quick, threads),
    threads,
    seeds: [args.seed],
    randomModel: (seed) => buildMnistCnn(1000 + seed),
    ...(args.cache ? { cacheDir } : {}),
    onProgress: (e: BenchmarkProgress) => {
      if (e.status === 'running') return;
      const eta = e.etaMs !== undefined && e.status !== 'start' ? `, ~${seconds(e.etaMs)} left` : '';
      const status = e.status === 'cached' ? `reused the model an earlier run retrained (${shown(cacheDir)})` : e.status;
      console.log(`[${e.cell}/${e.total}] ${e.method}: ${status}${eta}`);
    },
  });
  const reused = report.scenarios.flatMap((s) => s.rows).filter((r) => r.role === 'reference' && r.runs.some((run) => run.cached));

  const paths = await writeReport(report, resolve(out, 'report'));
  console.log(`\n${toMarkdown(report)}`);
  for (const row of reused) {
    const ms = row.runs.find((run) => run.cached)!.timeMs;
    console.log(
      `note: the ${row.name} row is an earlier run's model; its time (${seconds(ms)}) and the speed-ups were measured against that run, not this one. Pass --no-cache to retrain.`,
    );
  }
  console.log(`report: ${shown(paths.html)} (charts), ${shown(paths.md)}, ${shown(paths.json)}`);
  // Times on a shared machine mean little without the load they were measured under.
  console.log(`total ${seconds(performance.now() - started)} (1-minute load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end, ${availableParallelism()} cores)`);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  process.exit(1);
});
