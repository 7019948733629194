import { fitLine, predict, type Fit, type ModelResult, type Point, type ScalingMethod, type Series } from './scaling-fit.js';

export const METHOD_LABEL: Record<ScalingMethod, string> = {
  jit: 'JiT',
  ssd: 'SSD',
  'lf-ssd': 'LF-SSD',
};

/** One (method, model) row: each size of the table measured or predicted from the fitted line. */
export interface ScalingRow {
  series: Series;
  model: ModelResult;
  fit?: Fit;
  cells: { size: number; ms: number; measured: boolean; point?: Point }[];
  /** Measured points at sizes outside the table's columns (cut-short prefixes). */
  extra: Point[];
  /** Slope per forward multiply-add, ns: b / F. */
  nsPerMac?: number;
}

export function scalingRows(models: ModelResult[], sizes: number[]): ScalingRow[] {
  return models.flatMap((model) =>
    model.series.map((series) => {
      const fit = fitLine(series.points);
      const cells = sizes.flatMap((size) => {
        const point = series.points.find((p) => p.size === size);
        if (point) return [{ size, ms: point.ms, measured: true, point }];
        return fit && fit.from.length >= 2 ? [{ size, ms: predict(fit, size), measured: false }] : [];
      });
      return {
        series,
        model,
        ...(fit ? { fit, nsPerMac: (fit.b / model.forwardMacs) * 1e6 } : {}),
        cells,
        extra: series.points.filter((p) => !sizes.includes(p.size)),
      };
    }),
  );
}

/** The per-method constant k of t ≈ a + k·|Df|·F: the median over models of b / F. */
export function methodConstants(rows: ScalingRow[]): Record<string, { k: number; min: number; max: number }> {
  const out: Record<string, { k: number; min: number; max: number }> = {};
  for (const method of Object.keys(METHOD_LABEL) as ScalingMethod[]) {
    const ks = rows
      .filter((r) => r.series.method === method && r.nsPerMac !== undefined && r.fit!.from.length >= 2)
      .map((r) => r.nsPerMac!)
      .sort((a, b) => a - b);
    if (ks.length > 0) out[method] = { k: ks[Math.floor((ks.length - 1) / 2)]!, min: ks[0]!, max: ks[ks.length - 1]! };
  }
  return out;
}

const seconds = (ms: number) => {
  const s = ms / 1000;
  return s >= 100 ? `${Math.round(s).toLocaleString('en-US')} s` : s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`;
};
const loadOf = (p: Point, limit: number) =>
  `${p.load.before.toFixed(2)} → ${p.load.after.toFixed(2)}${Math.max(p.load.before, p.load.after) > limit ? ' ⚠' : ''}`;

export interface ScalingHeader {
  date: string;
  machine: string;
  nice: number;
  /** The process's scheduler autogroup and its nice value (Linux). */
  autogroup?: string;
  load: { before: number; after: number };
  cellBudgetS: number;
  /** Seconds each model's child process had, split evenly between the three methods. */
  modelBudgetS?: number;
  loadLimit: number;
  wallS: number;
}

function formula(label: string, k: { k: number; min: number; max: number } | undefined, why: string): string[] {
  if (!k) return [];
  return [`- ${label}: t ≈ a + k·|Df|·F, k ≈ ${k.k.toFixed(2)} ns (${k.min.toFixed(2)} to ${k.max.toFixed(2)} across the models): ${why}.`];
}

export function scalingMarkdown(header: ScalingHeader, models: ModelResult[], sizes: number[]): string {
  const rows = scalingRows(models, sizes);
  const k = methodConstants(rows);
  const size = (n: number) => n.toLocaleString('en-US');
  const cell = (c: ScalingRow['cells'][number] | undefined) =>
    !c ? '-' : c.measured ? `${seconds(c.ms)}${c.point!.underLoad ? ' ⚠' : ''}${c.point!.diverged ? ' (NaN)' : ''}` : `*${seconds(c.ms)}* (predicted)`;
  const jitN = rows.find((r) => r.series.method === 'jit')?.series.nSamples;
  return [
    '# How time grows with the forget set and the model',
    '',
    `${header.date}. ${header.machine}. Run under \`nice -n ${header.nice}\`${
      header.autogroup
        ? ` in a session of its own whose scheduler autogroup was set to the same nice (\`${header.autogroup}\`: with autogroups, nice alone ranks a process only against its own session)`
        : ''
    }; 1-minute load ${header.load.before.toFixed(2)} before / ${header.load.after.toFixed(2)} after the run that wrote this file (${Math.round(
      header.wallS / 60,
    )} min; a model it did not rerun keeps its results from an earlier run, and every call's own load is in the tables).`,
    `Each cell is one full \`unlearn()\` call (wasm backend, \`threads: ${2}\`, after an untimed warm-up on a tiny forget set), each model and method in a fresh process. SSD and LF-SSD get the training-set importances precomputed (\`request.importances\`), so a cell times the part that grows with |Df|; their one-off cost is in the last table.`,
    `A cell whose estimate exceeded ${header.cellBudgetS} s${
      header.modelBudgetS ? ` (or what was left of the method's third of the model's ${Math.round(header.modelBudgetS / 60)} minutes)` : ''
    } was not run: *italic (predicted)* values come from the fitted line a + b·|Df|, **predicted from the fitted formula, not measured**, from the measured sizes listed under "fitted from". ⚠ marks a call with the 1-minute load above ${
      header.loadLimit
    } before or after it (the run's own two threads count for about 2 of it).`,
    '',
    `| method | model | batch | F (M mult-adds) | ${sizes
      .map(size)
      .join(' | ')} | fitted from \\|Df\\| = | a (s) | b (ms / sample) | b / F (ns) | samples / min |`,
    `|---|---|---:|---:|${sizes.map(() => '---:').join('|')}|---|---:|---:|---:|---:|`,
    ...rows.map((r) => {
      const fit = r.fit;
      const from = fit ? fit.from.map(size).join(', ') : '-';
      return `| ${METHOD_LABEL[r.series.method]} | ${r.model.label} | ${r.series.batchSize || '-'} | ${(r.model.forwardMacs / 1e6).toFixed(
        r.model.forwardMacs < 1e7 ? 2 : 0,
      )} | ${sizes.map((s) => cell(r.cells.find((c) => c.size === s))).join(' | ')} | ${from}${
        r.series.error ? ` (stopped: ${r.series.error.replace(/\|/g, '/')})` : ''
      } | ${fit ? (fit.a / 1000).toFixed(2) : '-'} | ${fit ? fit.b.toFixed(fit.b < 1 ? 3 : 1) : '-'} | ${
        r.nsPerMac === undefined ? '-' : r.nsPerMac.toFixed(2)
      } | ${fit ? size(Math.round(60_000 / fit.b)) : '-'} |`;
    }),
    '',
    'The formulas, F = forward multiply-adds of one sample (convolutions and dense layers), k = b / F, the median over the models (and its range):',
    '',
    ...formula('JiT', k.jit, `per forget sample ${jitN ?? 'N'} noisy forwards off the tape, one forward with gradient and one backward, about (N + 3)·F`),
    ...formula(
      'SSD',
      k.ssd,
      'one forward and one backward per forget sample (about 3·F); the selection over the parameters does not depend on |Df| (it is in a)',
    ),
    ...formula('LF-SSD', k['lf-ssd'], 'as SSD, with the gradient of the squared logit norm instead of the loss'),
    '',
    'Every measured call:',
    '',
    '| method | model | \\|Df\\| | unlearn() | method alone (timeMs) | threads | load before → after |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows.flatMap((r) =>
      r.series.points.map(
        (p) =>
          `| ${METHOD_LABEL[r.series.method]} | ${r.model.label} | ${size(p.size)}${
            r.extra.includes(p)
              ? p.size % r.series.batchSize === 0
                ? ` (prefix: ${p.size / r.series.batchSize} batches of ${r.series.batchSize})`
                : ' (a smaller set)'
              : ''
          }${p.diverged ? ' (ended in NaN weights, restored)' : ''} | ${seconds(p.ms)} | ${seconds(p.methodMs)} | ${
            p.threads === undefined ? '-' : JSON.stringify(p.threads).replace(/\|/g, '/')
          } | ${loadOf(p, header.loadLimit)} |`,
      ),
    ),
    '',
    'Training-set importances, computed once per model and kind (two worker threads, the batch of the cells), the cost SSD and LF-SSD pay once and then reuse:',
    '',
    '| model | trainable parameters | kind | samples | batch | time | ms / sample | load before → after |',
    '|---|---:|---|---:|---:|---:|---:|---|',
    ...models.flatMap((m) =>
      (['fisher', 'loss-free'] as const).flatMap((kind) => {
        const t = m.trainImportance[kind];
        return t
          ? [
              `| ${m.label} | ${size(m.trainableParams)} | ${kind === 'fisher' ? 'Fisher (SSD)' : 'loss-free (LF-SSD)'} | ${size(t.samples)} | ${
                t.batchSize ?? 64
              } | ${seconds(t.ms)} | ${(t.ms / t.samples).toFixed(2)} | ${t.load.before.toFixed(2)} → ${t.load.after.toFixed(2)}${
                Math.max(t.load.before, t.load.after) > header.loadLimit ? ' ⚠' : ''
              } |`,
            ]
          : [];
      }),
    ),
    ...models.filter((m) => m.error).map((m) => `\n${m.label}: the child process failed (${m.error}).`),
    '',
  ].join('\n');
}
