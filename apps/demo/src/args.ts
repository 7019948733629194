import { parseArgs } from 'node:util';

export const ALL_METHODS = ['jit', 'ssd', 'lf-ssd', 'finetune'] as const;
export type DemoMethod = (typeof ALL_METHODS)[number];

export interface DemoArgs {
  digit: number;
  methods: DemoMethod[];
  seed: number;
  quick: boolean;
  out: string;
  backend: 'wasm' | 'cpu' | 'auto';
  /** Threads for retrain, finetune and the metric passes; undefined = every core, at most 4. */
  threads?: number;
  /** Reuse a retrained reference an earlier run saved under `out` (its time is then that run's). */
  cache: boolean;
  help: boolean;
}

export const USAGE = `npm run demo -- [options]

Forgets every training image of one MNIST digit from a pretrained CNN with each method, then
compares them with a model retrained without that digit (the gold standard).

Options:
  --digit <0-9>        the digit to forget (default 3)
  --methods <list>     comma-separated subset of ${ALL_METHODS.join(',')} (default: all)
  --seed <n>           seed for the methods and the retrain (default 0)
  --quick              a faster run: retrain and finetune for fewer epochs
  --out <dir>          where the report goes (default demo-output)
  --backend <name>     wasm (default), cpu, or auto
  --threads <n>        threads for the retrain, finetune and metric passes (default: every core,
                       at most 4; JiT splits its noisy passes on its own)
  --no-cache           retrain the reference even if an earlier run saved one in <out>; without
                       it a second run reuses that model, and speed-ups compare against the time
                       the earlier run measured
  -h, --help           this text`;

/** Parses the demo's command line; throws with a message naming the bad option. */
export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      digit: { type: 'string', default: '3' },
      methods: { type: 'string', default: ALL_METHODS.join(',') },
      seed: { type: 'string', default: '0' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'demo-output' },
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const digit = Number(values.digit);
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new Error(`--digit must be 0-9 (got ${values.digit})`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer (got ${values.seed})`);
  const methods = values.methods
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = methods.filter((m) => !(ALL_METHODS as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`--methods: unknown ${unknown.join(', ')} (choose from ${ALL_METHODS.join(', ')})`);
  if (methods.length === 0) throw new Error('--methods: name at least one method');
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'cpu' && backend !== 'auto') throw new Error(`--backend must be wasm, cpu or auto (got ${backend})`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new Error(`--threads must be a positive integer (got ${values.threads})`);
  return { digit, methods: methods as DemoMethod[], seed, quick: values.quick, out: values.out, backend, ...(threads ? { threads } : {}), cache: !values['no-cache'], help: values.help };
}
