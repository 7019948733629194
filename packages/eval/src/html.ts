import { CHART_METRICS, metricChartSpec, renderSvg } from './charts.js';
import { directionText, firstError, formatSummary, rowLabel, sizeLine, tableColumns, unitSuffix } from './format.js';
import type { BenchmarkReport } from './report.js';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1180px; color: #1f2933; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta, p.sizes { color: #52606d; font-size: 13px; }
table { border-collapse: collapse; font-size: 12px; margin: 12px 0; }
.table { overflow-x: auto; }
th, td { border: 1px solid #d9dee3; padding: 4px 6px; text-align: right; white-space: nowrap; }
th { white-space: normal; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
tr.reference td { background: #fdecea; font-weight: 600; } tr.original td { color: #52606d; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
.chart { flex: 0 0 auto; margin: 0; }
.error { color: #b42318; font-size: 13px; }
dl { font-size: 13px; } dt { font-weight: 600; margin-top: 6px; } dd { margin-left: 16px; color: #3e4c59; }
`;

export interface HtmlOptions {
  /** Metric ids charted per scenario (default: retain/forget test accuracy, MIA, JS to retrain, time). */
  charts?: readonly string[];
  columns?: readonly string[];
}

/**
 * A self-contained HTML page: the tables of `toMarkdown` plus, per scenario, one inline SVG chart
 * per metric (rendered here with vega-lite and vega's SVG renderer). No scripts, fonts or other
 * files are referenced, so it opens offline.
 */
export async function toHtml(report: BenchmarkReport, options: HtmlOptions = {}): Promise<string> {
  const columns = tableColumns(report, options.columns);
  const byId = new Map(report.metrics.map((m) => [m.id, m]));
  const charted = (options.charts ?? CHART_METRICS).map((id) => byId.get(id)).filter((m): m is NonNullable<typeof m> => !!m);
  const title = report.title ?? 'Unlearning benchmark';
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Backend ${escapeHtml(report.backend)}, tfjs ${escapeHtml(report.tfjsVersion)}, seeds ${report.seeds.join(', ')}${
      report.retrain ? `, reference: ${escapeHtml(report.retrain.name)}` : ''
    }; created ${escapeHtml(report.createdAt)}; total ${(report.timings.totalMs / 1000).toFixed(0)} s (${report.timings.retrainRuns} retrains run, ${report.timings.retrainCacheHits} from cache).</p>`,
  ];
  for (const scenario of report.scenarios) {
    parts.push(`<section><h2>${escapeHtml(scenario.name)}</h2>`, `<p class="sizes">${escapeHtml(sizeLine(scenario, report.seeds.length))}</p>`);
    parts.push('<div class="table"><table><thead><tr><th>method</th>');
    for (const c of columns) parts.push(`<th title="${escapeHtml(directionText(c.better))}">${escapeHtml(c.label + unitSuffix(c.unit))}</th>`);
    parts.push('</tr></thead><tbody>');
    for (const row of scenario.rows) {
      parts.push(`<tr class="${row.role}"><td>${escapeHtml(rowLabel(row))}</td>`);
      for (const c of columns) parts.push(`<td>${escapeHtml(formatSummary(row.summary[c.id], c.unit))}</td>`);
      parts.push('</tr>');
    }
    parts.push('</tbody></table></div>');
    for (const row of scenario.rows) {
      const error = firstError(row);
      if (error) parts.push(`<p class="error">${escapeHtml(row.name)} failed: ${escapeHtml(error)}</p>`);
    }
    parts.push('<div class="charts">');
    for (const metric of charted) {
      const spec = metricChartSpec(scenario, metric);
      if (spec) parts.push(`<figure class="chart">${await renderSvg(spec)}</figure>`);
    }
    parts.push('</div></section>');
  }
  parts.push('<section><h2>Metrics</h2><dl>');
  for (const m of report.metrics) {
    parts.push(`<dt>${escapeHtml(m.label)} (${escapeHtml(directionText(m.better))})</dt><dd>${escapeHtml(m.description)}</dd>`);
  }
  parts.push('</dl></section></body></html>', '');
  return parts.join('\n');
}
