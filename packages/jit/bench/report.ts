
export interface StepRow {
  model: string;
  variant: string;
  medianMs: number;
  minMs: number;
  runs: number;
}

export interface BenchReport {
  date: string;
  environment: Record<string, string | boolean>;
  setting: Record<string, number>;
  rows: StepRow[];
  extras: { what: string; medianMs: number }[];
  pytorch:
    | { available: false; reason: string }
    | { available: true; version: string; threads: Record<string, number>; cnnMs: number; mlpMs: number };
}

function torchMs(r: BenchReport, model: string): number | undefined {
  if (!r.pytorch.available) return undefined;
  return model.startsWith('CNN') ? r.pytorch.cnnMs : r.pytorch.mlpMs;
}

export function markdown(r: BenchReport): string {
  const env = Object.entries(r.environment)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  const setting = Object.entries(r.setting)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const torch = r.pytorch.available
    ? `PyTorch ${r.pytorch.version} (CPU, float32, ${Object.entries(r.pytorch.threads).map(([k, v]) => `${k}=${v}`).join(', ')}), scripts/torch/bench.py run right after the tfjs timings.`
    : `PyTorch not available (${r.pytorch.reason}).`;
  const ratio = (row: StepRow) => {
    const t = torchMs(r, row.model);
    return t === undefined ? 'n/a' : `${(row.medianMs / t).toFixed(2)}x`;
  };
  const lines = [
    '# @unlearn/jit step benchmark',
    '',
    `${r.date}. ${env}.`,
    '',
    `One JiT step (${setting}): N noisy forwards without gradient, one forward with gradient, backward, plain SGD update, loss read back. Median (and min) wall time over the timed rounds after warm-up; variants run round-robin. ${torch}`,
    '',
    '| model | tfjs variant | median ms | min ms | PyTorch ms | tfjs / PyTorch |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...r.rows.map((row) => {
      const t = torchMs(r, row.model);
      return `| ${row.model} | ${row.variant} | ${row.medianMs.toFixed(1)} | ${row.minMs.toFixed(1)} | ${t === undefined ? 'n/a' : t.toFixed(1)} | ${ratio(row)} |`;
    }),
    '',
    ...r.extras.map((e) => `- ${e.what}: ${e.medianMs.toFixed(1)} ms (median).`),
    '',
  ];
  return lines.join('\n');
}
