import type { MethodRun } from './session.js';

const COLORS = { before: '#9aa5b1', after: '#3451b2' } as const;

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * Grouped bars, one group per run and metric (retain-test, forget-test accuracy), grey before
 * and blue after. Plain SVG markup so it renders the same in the page and in a test.
 */
export function accuracyChart(runs: readonly MethodRun[]): string {
  const groups = runs.flatMap((r) => [
    { label: `${r.method.toUpperCase()} retain`, before: r.before.retain, after: r.after.retain },
    { label: `${r.method.toUpperCase()} forget ${r.digit}`, before: r.before.forget, after: r.after.forget },
  ]);
  const bar = 26;
  const gap = 28;
  const top = 28;
  const height = 180;
  const left = 40;
  const width = left + groups.length * (2 * bar + gap) + 10;
  const y = (v: number) => top + height * (1 - v);
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${width}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e2e2e3"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick * 100}%</text>`);
  }
  groups.forEach((g, i) => {
    const x0 = left + gap / 2 + i * (2 * bar + gap);
    (['before', 'after'] as const).forEach((when, k) => {
      const v = g[when];
      const x = x0 + k * bar;
      parts.push(
        `<rect x="${x}" y="${y(v)}" width="${bar - 3}" height="${height * v}" fill="${COLORS[when]}"><title>${escapeXml(g.label)} ${when}: ${pct(v)}</title></rect>`,
      );
      parts.push(`<text x="${x + (bar - 3) / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="10">${(v * 100).toFixed(0)}</text>`);
    });
    parts.push(`<text x="${x0 + bar}" y="${top + height + 16}" text-anchor="middle" font-size="11">${escapeXml(g.label)}</text>`);
  });
  parts.push(`<rect x="${left}" y="6" width="10" height="10" fill="${COLORS.before}"/><text x="${left + 14}" y="15" font-size="11">before</text>`);
  parts.push(`<rect x="${left + 70}" y="6" width="10" height="10" fill="${COLORS.after}"/><text x="${left + 84}" y="15" font-size="11">after</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Accuracy before and after unlearning" width="${width}" height="${top + height + 26}" viewBox="0 0 ${width} ${top + height + 26}" font-family="sans-serif" fill="currentColor">${parts.join('')}</svg>`;
}
