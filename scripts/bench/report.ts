import type { Measured } from './abab.js';
import type { LeakRow } from './leaks.js';
import { settings } from './workload.js';

const fmt = (v: number | undefined, unit: string) =>
  v === undefined ? '-' : unit === 'ms' ? `${v.toFixed(1)} ms` : `${v.toFixed(v < 100 ? 1 : 0)} /s`;

export function rowLine(r: Measured): string {
  const load = `${r.load.before.toFixed(2)} → ${r.load.after.toFixed(2)}${r.underLoad ? ` ⚠ ${r.load.max.toFixed(2)}` : ''}`;
  return `| ${r.workload} | ${r.rounds.tfjs.length} | ${fmt(r.tfjs, r.unit)} | ${fmt(r.torch, r.unit)} | ${r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`} | ${r.target === undefined ? '-' : `≤ ${r.target}x`} | ${load} |`;
}

export function markdown(header: { date: string; machine: string; torchLine: string; params?: string }, rows: Measured[], leakRows: LeakRow[]): string {
  return [
    `# tfjs vs PyTorch, same workloads, one run`,
    '',
    `${header.date}. ${header.machine}. ${header.torchLine}.${header.params ? ` ${header.params}` : ''}`,
    'Ratio = tfjs time / PyTorch time (for training: PyTorch samples/s / tfjs samples/s); lower is better, 1.00x = parity.',
    `Rounds alternate tfjs and PyTorch (ABAB) after a warm-up of each, as many per side as shown (fewer for slow rows, whose time budget ran out); medians. Load = 1-minute load average before → after the row; ⚠ marks a row during which it exceeded ${settings.loadLimit} (the highest value shown).`,
    '',
    '| workload | rounds | tfjs | PyTorch | ratio | target | load |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(rowLine),
    '',
    ...(leakRows.length === 0
      ? []
      : [
          'Tensor hygiene: `tf.memory().numTensors` after N steps minus before (0 = flat).',
          '',
          '| workload | steps | tensors leaked |',
          '|---|---:|---:|',
          ...leakRows.map((r) => `| ${r.workload} | ${r.steps} | ${r.leaked} |`),
          '',
        ]),
  ].join('\n');
}
