import type { Output } from '../io.js';
import type { BeforeAfter, DeletionRecord } from '../record.js';
import { trialTable } from './forget-auto.js';

/** The human summary of a forget run, or the JSON object with --json. */
export function reportForget(out: Output, r: DeletionRecord, backend: string): void {
  if (out.json) {
    out.result({ ok: true, out: r.model.after.path, record: r });
    return;
  }
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const line = (name: string, v: BeforeAfter | undefined) => v && out.line(`  ${name.padEnd(16)} ${pct(v.before).padStart(7)} -> ${pct(v.after)}`);
  out.line(`Unlearned with ${r.method.name} on ${backend} in ${r.timing.unlearnMs.toFixed(0)} ms (total ${(r.timing.totalMs / 1000).toFixed(1)} s)`);
  if (r.auto) {
    out.line(`  auto: ${r.auto.satisfied ? 'target met' : 'PARTIAL, target not met'}: ${r.auto.reason}`);
    for (const l of trialTable(r.auto)) out.line(`  ${l}`);
  }
  line('forget accuracy', r.evidence.forgetAccuracy);
  line('retain accuracy', r.evidence.retainAccuracy);
  line('test accuracy', r.evidence.testAccuracy);
  line('MIA', r.evidence.mia);
  const p = r.evidence.parameters;
  out.line(`  parameters changed ${p.changed} of ${p.total}`);
  out.line(`Model and deletion record written to ${r.model.after.path}`);
  out.line(`  weights SHA-256 ${r.model.before.weightsSha256.slice(0, 16)}… -> ${r.model.after.weightsSha256.slice(0, 16)}…`);
}
