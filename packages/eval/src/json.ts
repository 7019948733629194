import { UnlearnError } from '@unlearn/core';
import type { BenchmarkReport } from './report.js';

/** The report as pretty JSON; NaN and ±Infinity (metrics that do not apply) become null. */
export function toJson(report: BenchmarkReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

const toNumber = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/** Reads a report written by `toJson` back (null numbers become NaN), e.g. to render it again. */
export function parseReport(json: string): BenchmarkReport {
  const report = JSON.parse(json) as BenchmarkReport;
  if (report?.format !== 'unlearn-benchmark' || !Array.isArray(report.scenarios)) {
    throw new UnlearnError('CORRUPT_FILE', 'Not an unlearn benchmark report (expected format "unlearn-benchmark")');
  }
  for (const scenario of report.scenarios) {
    for (const row of scenario.rows) {
      for (const run of row.runs) {
        run.timeMs = toNumber(run.timeMs);
        for (const id of Object.keys(run.metrics)) run.metrics[id] = toNumber(run.metrics[id]);
      }
      for (const s of Object.values(row.summary)) {
        s.mean = toNumber(s.mean);
        s.std = toNumber(s.std);
        s.min = toNumber(s.min);
        s.max = toNumber(s.max);
      }
    }
  }
  return report;
}
