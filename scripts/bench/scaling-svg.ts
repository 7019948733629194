import { METHOD_LABEL, type ScalingRow } from './scaling-report.js';
import type { ScalingMethod, ScalingModelKey } from './scaling-fit.js';

const COLOUR: Record<ScalingMethod, string> = {
  jit: '#c0392b',
  ssd: '#2471a3',
  'lf-ssd': '#1e8449',
};
const DASH: Record<ScalingModelKey, string> = {
  mnist: '',
  mobilenet: '7 4',
  resnet: '2 3',
};

/** A marker per model: circle, square, triangle; filled when measured, hollow when predicted. */
function marker(model: ScalingModelKey, x: number, y: number, colour: string, measured: boolean): string {
  const fill = measured ? colour : '#ffffff';
  const common = `fill="${fill}" stroke="${colour}" stroke-width="1.6"`;
  if (model === 'mnist') return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.2" ${common}/>`;
  if (model === 'mobilenet') return `<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" ${common}/>`;
  return `<path d="M${x.toFixed(1)} ${(y - 5).toFixed(1)} L${(x + 5).toFixed(1)} ${(y + 4).toFixed(1)} L${(x - 5).toFixed(1)} ${(y + 4).toFixed(
    1,
  )} Z" ${common}/>`;
}

/**
 * A log-log chart of seconds against forget-set size, hand-built (no plotting dependency): one
 * line per method and model through its measured points (filled) and its predicted cells (hollow).
 */
export function scalingSvg(rows: ScalingRow[], title: string): string {
  const W = 760;
  const H = 500;
  const m = { left: 70, right: 200, top: 40, bottom: 55 };
  const series = rows.map((r) => {
    const pts = [
      ...r.series.points.map((p) => ({
        size: p.size,
        s: p.ms / 1000,
        measured: true,
      })),
      ...r.cells.filter((c) => !c.measured).map((c) => ({ size: c.size, s: c.ms / 1000, measured: false })),
    ].sort((a, b) => a.size - b.size);
    return { r, pts };
  });
  const all = series.flatMap((s) => s.pts).filter((p) => p.s > 0);
  const sizes = all.map((p) => p.size);
  const secs = all.map((p) => p.s);
  // A little room left and right, so that markers at the first and last sizes are not cut by the frame.
  const x0 = Math.log10(Math.min(...sizes)) - 0.12;
  const x1 = Math.log10(Math.max(...sizes)) + 0.12;
  const y0 = Math.floor(Math.log10(Math.min(...secs)));
  const y1 = Math.ceil(Math.log10(Math.max(...secs)));
  const px = (size: number) => m.left + ((Math.log10(size) - x0) / (x1 - x0)) * (W - m.left - m.right);
  const py = (s: number) => H - m.bottom - ((Math.log10(s) - y0) / (y1 - y0)) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="22" font-size="14" font-weight="600">${title}</text>`,
  ];
  const fmt = (e: number) => (e >= 0 ? (10 ** e).toLocaleString('en-US') : String(10 ** e));
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
    const x = px(10 ** e);
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${H - m.bottom}" stroke="#d5d8dc"/>`);
    out.push(`<text x="${x}" y="${H - m.bottom + 18}" text-anchor="middle">${fmt(e)}</text>`);
    for (let k = 2; k < 10 && Math.log10(k * 10 ** e) < x1; k++)
      out.push(`<line x1="${px(k * 10 ** e)}" y1="${H - m.bottom}" x2="${px(k * 10 ** e)}" y2="${H - m.bottom - 4}" stroke="#7f8c8d"/>`);
  }
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${m.left}" y1="${y}" x2="${W - m.right}" y2="${y}" stroke="#d5d8dc"/>`);
    out.push(`<text x="${m.left - 8}" y="${y + 4}" text-anchor="end">${fmt(e)} s</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#7f8c8d"/>`);
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 15}" text-anchor="middle">forget-set size |Df| (samples)</text>`);
  out.push(`<text transform="translate(18 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">time of one unlearn() call</text>`);
  series.forEach(({ r, pts }, i) => {
    const colour = COLOUR[r.series.method];
    const dash = DASH[r.series.model];
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts
          .map((p) => `${px(p.size).toFixed(1)},${py(p.s).toFixed(1)}`)
          .join(' ')}"/>`,
      );
    }
    pts.forEach((p) => out.push(marker(r.series.model, px(p.size), py(p.s), colour, p.measured)));
    const ly = m.top + 10 + i * 20;
    const lx = W - m.right + 14;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 30}" y2="${ly}" stroke="${colour}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(marker(r.series.model, lx + 15, ly, colour, true));
    out.push(`<text x="${lx + 38}" y="${ly + 4}">${METHOD_LABEL[r.series.method]}, ${r.model.label}</text>`);
  });
  const ly = m.top + 10 + series.length * 20 + 10;
  const lx = W - m.right + 14;
  out.push(`<circle cx="${lx + 15}" cy="${ly}" r="4.2" fill="#555555" stroke="#555555"/><text x="${lx + 38}" y="${ly + 4}">measured</text>`);
  out.push(
    `<circle cx="${lx + 15}" cy="${ly + 20}" r="4.2" fill="#ffffff" stroke="#555555" stroke-width="1.6"/><text x="${lx + 38}" y="${
      ly + 24
    }">predicted (fitted line)</text>`,
  );
  out.push('</svg>', '');
  return out.join('\n');
}
