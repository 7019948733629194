import type { MetricUnit } from './metrics.js';
import type { BenchmarkReport, RowReport, ScenarioReport } from './report.js';
import type { Summary } from './stats.js';

/** Columns of the report tables, in order; metrics a report lacks are skipped. */
export const TABLE_COLUMNS = [
  'retainTestAcc',
  'forgetTestAcc',
  'forgetTrainAcc',
  'mia',
  'jsToRetrain',
  'activationDistance',
  'zrf',
  'timeMs',
  'speedUp',
] as const;

const BUILTIN_EXTRA = new Set(['retainTrainAcc', 'testAcc']);

/** The metric ids shown as table columns: the standard ones, then any user-defined metric. */
export function tableColumns(report: BenchmarkReport, columns?: readonly string[]) {
  const byId = new Map(report.metrics.map((m) => [m.id, m]));
  const ids = columns ?? [
    ...TABLE_COLUMNS.filter((id) => byId.has(id)),
    ...report.metrics.map((m) => m.id).filter((id) => !(TABLE_COLUMNS as readonly string[]).includes(id) && !BUILTIN_EXTRA.has(id)),
  ];
  return ids.map((id) => byId.get(id)).filter((m): m is NonNullable<typeof m> => m !== undefined);
}

export function unitSuffix(unit: MetricUnit): string {
  return unit === 'fraction' ? ' (%)' : unit === 'nats' ? ' (nats)' : '';
}

const decimalsFor = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
const group = (v: number, decimals: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** One number in a metric's display unit (no ± part). */
export function formatValue(value: number, unit: MetricUnit): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  switch (unit) {
    case 'fraction':
      return (value * 100).toFixed(1);
    case 'nats':
    case 'score':
      return value.toFixed(4);
    case 'distance':
      return value.toFixed(3);
    case 'ratio':
      return `${group(value, decimalsFor(value))}×`;
    case 'ms':
      return value >= 1000 ? `${group(value / 1000, decimalsFor(value / 1000))} s` : `${group(value, decimalsFor(value))} ms`;
  }
}

/** "mean ± std" in the metric's unit; the spread is left out for a single seed. */
export function formatSummary(summary: Summary | undefined, unit: MetricUnit): string {
  if (!summary || summary.n === 0) return '—';
  const mean = formatValue(summary.mean, unit);
  if (summary.n < 2) return mean;
  if (unit === 'ms') {
    const inSeconds = summary.mean >= 1000;
    const std = inSeconds ? summary.std / 1000 : summary.std;
    const digits = decimalsFor(inSeconds ? summary.mean / 1000 : summary.mean);
    return `${mean.replace(/ (m?s)$/, '')} ± ${group(std, digits)} ${inSeconds ? 's' : 'ms'}`;
  }
  if (unit === 'ratio') return `${mean.replace(/×$/, '')} ± ${group(summary.std, decimalsFor(summary.mean))}×`;
  const std = unit === 'fraction' ? (summary.std * 100).toFixed(1) : formatValue(summary.std, unit);
  return `${mean} ± ${std}`;
}

export function rowLabel(row: RowReport): string {
  const failed = row.runs.filter((r) => r.error).length;
  const base = row.role === 'original' ? 'original (before unlearning)' : row.role === 'reference' ? `${row.name} (reference)` : row.name;
  return failed > 0 ? `${base} [${failed}/${row.runs.length} runs failed]` : base;
}

export function directionText(better: string): string {
  return better === 'closer-to-retrain' ? 'closer to retrain is better' : `${better} is better`;
}

export function sizeLine(scenario: ScenarioReport, seeds: number): string {
  const s = scenario.sizes;
  const n = (v: number) => v.toLocaleString('en-US');
  return `forget set Df: ${n(s.forgetTrain)} train samples · retain set Dr: ${n(s.retainTrain)} · forget-test: ${n(s.forgetTest)} · retain-test: ${n(s.retainTest)} · test: ${n(s.test)} · mean ± std over ${seeds} seed${seeds === 1 ? '' : 's'}`;
}

/** Rows whose runs all failed have nothing to show but the failure. */
export function firstError(row: RowReport): string | undefined {
  return row.runs.find((r) => r.error)?.error;
}
