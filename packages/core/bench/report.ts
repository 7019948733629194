
export interface TrainingRow {
  workload: string;
  backend: string;
  samplesPerSecond: number;
  samplesPerCpuSecond: number;
  /** Wall-clock throughput over the row named by `baseline`. */
  ratio: number;
  baseline: string;
  steps: number;
  seconds: number;
  tensorsLeaked: number;
}

export interface MatMulRow {
  op: string;
  variant: string;
  ms: number;
  /** Time of the plain product over this one's: above 1 is faster than plain. */
  speedup: number;
}

export interface Report {
  date: string;
  environment: Record<string, string | boolean>;
  training: TrainingRow[];
  matmul: MatMulRow[];
}

const fmt = (v: number, digits: number) => v.toFixed(digits);

export function markdown(r: Report): string {
  const env = Object.entries(r.environment)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  const lines = [
    `# @unlearn/core wasm training benchmark`,
    '',
    `${r.date}. ${env}.`,
    '',
    'samples/s is wall-clock; per CPU-s divides by this process’s CPU time instead, which other',
    'load on the machine disturbs less (V8’s GC threads add a little to it).',
    '',
    '| workload | backend | samples/s | ratio | samples per CPU-s | tensors leaked |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...r.training.map(
      (t) =>
        `| ${t.workload} | ${t.backend} | ${fmt(t.samplesPerSecond, 1)} | ${fmt(t.ratio, 2)}x vs ${t.baseline} | ` +
        `${fmt(t.samplesPerCpuSecond, 1)} | ${t.tensorsLeaked} |`,
    ),
    '',
    '| matmul | variant | ms/op (best of 5 rounds) | vs plain |',
    '| --- | --- | ---: | ---: |',
    ...r.matmul.map((m) => `| ${m.op} | ${m.variant} | ${fmt(m.ms, 3)} | ${fmt(m.speedup, 2)}x |`),
    '',
  ];
  return lines.join('\n');
}
