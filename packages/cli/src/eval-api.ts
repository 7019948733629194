import { CliError, usageError } from './exit-codes.js';

export type EvalApi = typeof import('@unlearn/eval');
export type EvalNodeApi = typeof import('@unlearn/eval/node');

type LoadedEval = EvalApi & { node: EvalNodeApi };
let loaded: Promise<LoadedEval> | undefined;

/**
 * @unlearn/eval, loaded once, when a command needs it, so the other commands work without it: the
 * CLI's one loader of it (eval, bench, and the evidence of forget). A failure is `MISSING_PACKAGE`.
 */
export function evalApi(): Promise<LoadedEval> {
  loaded ??= Promise.all([import('@unlearn/eval'), import('@unlearn/eval/node')]).then(
    ([main, node]) => ({ ...main, node }),
    (error: unknown) => {
      const why = (error as Error).message.split('\n')[0];
      throw new CliError('usage', 'MISSING_PACKAGE', `@unlearn/eval, which this command needs, failed to load: ${why} (it is a dependency of @unlearn/cli: reinstall @unlearn/cli)`, {
        cause: error,
      });
    },
  );
  return loaded;
}

export type ScenarioSpec = { kind: 'full-class'; class: number } | { kind: 'random'; count: number } | { kind: 'random'; fraction: number };

/** `full-class:<c>`, `random:<n>` (a count) or `random:<f>` (a fraction, 0 < f < 1). */
export function parseScenario(text: string): ScenarioSpec {
  const [kind, arg, extra] = text.split(':');
  const n = Number(arg);
  if (extra === undefined && arg !== undefined && arg !== '' && Number.isFinite(n)) {
    if (kind === 'full-class' && Number.isInteger(n) && n >= 0) return { kind, class: n };
    if (kind === 'random' && Number.isInteger(n) && n >= 1) return { kind, count: n };
    if (kind === 'random' && n > 0 && n < 1) return { kind, fraction: n };
  }
  throw usageError(`--scenario "${text}" is not one of full-class:<class>, random:<count> or random:<fraction between 0 and 1>`);
}

export function buildScenario(api: EvalApi, spec: ScenarioSpec): ReturnType<EvalApi['fullClass']> {
  if (spec.kind === 'full-class') return api.fullClass(spec.class);
  return api.randomSamples('count' in spec ? spec.count : { fraction: spec.fraction });
}
