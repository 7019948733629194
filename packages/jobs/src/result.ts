import type { SplitName } from '@unlearn/eval';
import type { AutoSearchRecord } from './auto-job.js';
import type { JobKind } from './spec.js';

/** What a job produced: one run of the report, plus where and how it ran. */
export interface JobResult {
  format: 'unlearn-job-result';
  version: 1;
  key: string;
  kind: JobKind;
  scenario: string;
  seed: number;
  /** The method's run seed, when it is not `seed` (a model of a reference-model set). */
  runSeed?: number;
  /** Report row name. */
  row: string;
  /** The unlearner's own name and resolved options, as the report records them. */
  method?: { name: string; options: unknown };
  metrics: Record<string, number>;
  /** The unlearning step alone (NaN for the original model; the whole search for an `auto` job). */
  timeMs: number;
  /** An `auto` job's search: satisfied or not, the chosen strength, every trial. */
  auto?: AutoSearchRecord;
  /** The reference's retrain time the speed-up used. */
  retrainTimeMs?: number;
  details?: Record<string, unknown>;
  /** Set when the method failed (as `benchmark` with continueOnError records it), or a search kept no trial. */
  error?: string;
  /** Split sizes of this scenario and seed. */
  sizes: Record<SplitName, number>;
  /** Provenance only; never part of the key. */
  ran: { host: string; pid: number; worker?: string; backend: string; tfjsVersion: string; startedAt: string; wallMs: number };
}

const TAG = '$nonFinite';

/** JSON that keeps NaN and ±Infinity (metrics that do not apply), which plain JSON turns into null. */
export function encodeResult(result: JobResult): string {
  const text = JSON.stringify(
    result,
    (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { [TAG]: String(value) } : value),
    2,
  );
  return `${text}\n`;
}

export function decodeResult(text: string): JobResult {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === TAG) return Number((value as Record<string, string>)[TAG]);
    }
    return value;
  }) as JobResult;
}
