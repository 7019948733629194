import { CliError, usageError } from './exit-codes.js';

export type EvalApi = typeof import('@unlearn/eval');
export type EvalNodeApi = typeof import('@unlearn/eval/node');

/** @unlearn/eval, loaded when a command needs it so the other commands work without it. */
export async function evalApi(): Promise<EvalApi & { node: EvalNodeApi }> {
  try {
    const [main, node] = await Promise.all([import('@unlearn/eval'), import('@unlearn/eval/node')]);
    return { ...main, node };
  } catch (error) {
    throw new CliError('usage', 'MISSING_PACKAGE', `This command needs @unlearn/eval, which failed to load: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
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
