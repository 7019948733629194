import type { MetricInfo, RowReport, ScenarioReport } from './report.js';
import { directionText, formatSummary } from './format.js';

/** Metrics drawn in the HTML report, one chart each per scenario. */
export const CHART_METRICS = ['retainTestAcc', 'forgetTestAcc', 'mia', 'jsToRetrain', 'timeMs'] as const;

const COLORS = { original: '#8c96a3', reference: '#d62728', method: '#3b6ea8' };

interface Point {
  row: string;
  role: string;
  value: number;
}

// Short row names keep two charts side by side; the tables carry the long ones.
const chartLabel = (row: RowReport) => {
  const failed = row.runs.filter((r) => r.error).length;
  const base = row.role === 'original' ? 'original' : row.role === 'reference' ? `${row.name} (ref.)` : row.name;
  return failed > 0 ? `${base} (${failed} failed)` : base;
};

const scaleValue = (metric: MetricInfo, v: number) => (metric.unit === 'fraction' ? v * 100 : metric.unit === 'ms' ? v / 1000 : v);

function axisTitle(metric: MetricInfo): string {
  if (metric.unit === 'fraction') return `${metric.label} (%)`;
  if (metric.unit === 'ms') return `${metric.label} (s, log scale)`;
  if (metric.unit === 'nats') return `${metric.label} (nats)`;
  return metric.label;
}

/**
 * A vega-lite dot plot of one metric in one scenario: a row per model with each seed as a tick,
 * the min–max range as a line and the mean as a dot; the retrained reference is its own red row
 * and a dashed red rule through every row, so each method's gap to it is visible at a glance.
 */
export function metricChartSpec(scenario: ScenarioReport, metric: MetricInfo): Record<string, unknown> | undefined {
  const isTime = metric.unit === 'ms';
  const rows = scenario.rows.filter((r) => !(isTime && r.role === 'original'));
  const order = rows.map(chartLabel);
  const seeds: Point[] = [];
  const summaries: (Point & { min: number; max: number })[] = [];
  for (const row of rows) {
    const label = chartLabel(row);
    for (const run of row.runs) {
      const v = run.metrics[metric.id];
      if (v !== undefined && Number.isFinite(v) && !(isTime && v <= 0)) seeds.push({ row: label, role: row.role, value: scaleValue(metric, v) });
    }
    const s = row.summary[metric.id];
    if (s && s.n > 0 && !(isTime && s.min <= 0)) {
      summaries.push({ row: label, role: row.role, value: scaleValue(metric, s.mean), min: scaleValue(metric, s.min), max: scaleValue(metric, s.max) });
    }
  }
  if (summaries.length === 0) return undefined;
  const reference = scenario.rows.find((r) => r.role === 'reference');
  const refSummary = reference?.summary[metric.id];
  const refValue = refSummary && refSummary.n > 0 ? scaleValue(metric, refSummary.mean) : undefined;

  const scale: Record<string, unknown> = isTime ? { type: 'log' } : metric.unit === 'fraction' ? { domain: [0, 100] } : { zero: true };
  const x = (field: string) => ({ field, type: 'quantitative', scale, title: axisTitle(metric) });
  const y = { field: 'row', type: 'nominal', sort: order, title: null, axis: { labelLimit: 260 } };
  const color = {
    field: 'role',
    type: 'nominal',
    scale: { domain: Object.keys(COLORS), range: Object.values(COLORS) },
    legend: null,
  };
  const layers: Record<string, unknown>[] = [
    { data: { values: summaries }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: x('min'), x2: { field: 'max' }, color } },
    { data: { values: seeds }, mark: { type: 'tick', thickness: 1.5, size: 14, opacity: 0.7 }, encoding: { y, x: x('value'), color } },
    { data: { values: summaries }, mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { y, x: x('value'), color } },
  ];
  if (refValue !== undefined) {
    layers.push({
      data: { values: [{ value: refValue }] },
      mark: { type: 'rule', color: COLORS.reference, strokeDash: [5, 3], strokeWidth: 1.5 },
      encoding: { x: x('value') },
    });
  }
  const subtitle = [directionText(metric.better)];
  if (reference && refSummary && refSummary.n > 0) subtitle.push(`dashed line: ${reference.name} ${formatSummary(refSummary, metric.unit)}`);
  return {
    width: 300,
    height: { step: 24 },
    title: { text: `${metric.label}: ${scenario.name}`, subtitle: subtitle.join(' · '), anchor: 'start', fontSize: 13, subtitleFontSize: 11 },
    config: { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 11 } },
    layer: layers,
  };
}

/** Renders a vega-lite spec to a standalone SVG string in Node or a browser (no canvas, no DOM). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
