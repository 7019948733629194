import { renderSvg } from '@unlearn/eval';

/** What the chart reads of a privacy row. */
export interface PrivacyPoint {
  scenario: string;
  method: string;
  uliraAuc: number;
  forgetQuality: number;
}

/**
 * Two dot plots side by side per forget set: U-LiRA AUC (0.5 = chance, the retrained models'
 * own value) and the NeurIPS forgetting quality F (1 = as retrained), one row per method, so
 * a reader sees at a glance which methods an attacker tells apart from retraining.
 */
export function privacyChartSpec(points: readonly PrivacyPoint[]): Record<string, unknown> {
  const panel = (field: 'uliraAuc' | 'forgetQuality', title: string, domain: [number, number]) => ({
    width: 260,
    height: 18 * 10,
    mark: { type: 'point', filled: true, size: 70, color: '#3b6ea8' },
    encoding: {
      y: { field: 'method', type: 'nominal', sort: null, title: null },
      x: { field, type: 'quantitative', title, scale: { domain, zero: false }, axis: { orient: 'bottom' } },
      tooltip: [{ field: 'method' }, { field, format: '.3f' }],
    },
  });
  const scenarios = [...new Set(points.map((p) => p.scenario))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    vconcat: scenarios.map((scenario) => ({
      title: { text: scenario, anchor: 'start' },
      data: { values: points.filter((p) => p.scenario === scenario) },
      hconcat: [panel('uliraAuc', 'U-LiRA AUC (0.5 = as retrained)', [0.4, 1]), panel('forgetQuality', 'NeurIPS forgetting quality F (1 = as retrained)', [0, 1])],
    })),
    config: { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 11 } },
  };
}

export function privacyChart(points: readonly PrivacyPoint[]): Promise<string> {
  return renderSvg(privacyChartSpec(points));
}
