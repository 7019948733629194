import { directionText, firstError, formatSummary, rowLabel, sizeLine, tableColumns, unitSuffix } from './format.js';
import type { BenchmarkReport } from './report.js';

export interface MarkdownOptions {
  /** Metric ids to show as columns (default: the standard set present in the report). */
  columns?: readonly string[];
  /** Heading level of each scenario's section (default 3). */
  headingLevel?: number;
  /** Add the run header and the metric legend (default true). */
  legend?: boolean;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A table per scenario (mean ± std over seeds), a header with the run's facts, and a legend. */
export function toMarkdown(report: BenchmarkReport, options: MarkdownOptions = {}): string {
  const columns = tableColumns(report, options.columns);
  const hashes = '#'.repeat(options.headingLevel ?? 3);
  const legend = options.legend !== false;
  const lines: string[] = [];
  if (legend) {
    if (report.title) lines.push(`${hashes.slice(1) || '#'} ${report.title}`, '');
    const retrain = report.retrain ? `; reference: ${report.retrain.name}` : '';
    lines.push(
      `Backend ${report.backend}, tfjs ${report.tfjsVersion}, seeds ${report.seeds.join(', ')}${retrain}; ${report.createdAt.slice(0, 10)}; total ${(report.timings.totalMs / 1000).toFixed(0)} s (${report.timings.retrainRuns} retrains run, ${report.timings.retrainCacheHits} from cache).`,
      '',
    );
  }
  for (const scenario of report.scenarios) {
    lines.push(`${hashes} ${scenario.name}`, '', sizeLine(scenario, report.seeds.length), '');
    lines.push(`| method | ${columns.map((c) => escapeCell(c.label + unitSuffix(c.unit))).join(' | ')} |`);
    lines.push(`|---|${columns.map(() => '---:').join('|')}|`);
    for (const row of scenario.rows) {
      const label = row.role === 'reference' ? `**${rowLabel(row)}**` : rowLabel(row);
      lines.push(`| ${escapeCell(label)} | ${columns.map((c) => escapeCell(formatSummary(row.summary[c.id], c.unit))).join(' | ')} |`);
    }
    const errors = scenario.rows.map((r) => [r.name, firstError(r)] as const).filter(([, e]) => e);
    if (errors.length > 0) {
      lines.push('');
      for (const [name, error] of errors) lines.push(`- ${name} failed: ${error}`);
    }
    lines.push('');
  }
  if (legend) {
    lines.push('Metrics:', '');
    for (const c of columns) lines.push(`- **${c.label}** (${directionText(c.better)}): ${c.description}`);
    lines.push('');
  }
  return lines.join('\n');
}
