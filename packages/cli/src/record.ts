import type { InputProvenance, LabelProvenance } from './data.js';
import { trialTable, type AutoRecord } from './commands/forget-auto.js';
import type { FileDigest } from './hash.js';
import type { RecordDigest } from './record-digest.js';
import type { RecordSignature } from './record-signature.js';

export const RECORD_JSON = 'deletion-record.json';
export const RECORD_MD = 'deletion-record.md';
/** 2 added `digest` and `signature`; verify still reads version 1 records, with a warning. */
export const RECORD_VERSION = 2;

export interface SplitRecord {
  samples: number;
  inputs: InputProvenance;
  labels?: LabelProvenance;
}

export interface ModelRecord {
  /** The folder as given on the command line. */
  path: string;
  /** SHA-256 over every variable's shape, dtype and float bytes, in model order (core `hashWeights`). */
  weightsSha256: string;
  /** model.json and its weight files, relative to `path`. */
  files: FileDigest[];
}

export interface BeforeAfter {
  before: number;
  after: number;
}

/** A plugin whose code the command imported, identified by the file it ran. */
export interface PluginRecord {
  name: string;
  version?: string;
  /** Its entry file, relative to the project root ('/'-separated). */
  entry: string;
  sha256: string;
  /** The method names its import registered, first-party names it was refused included. */
  methods: string[];
  /** Its import threw: its code ran, but none of its methods were used. */
  error?: string;
}

/** Everything an auditor needs to tie a model version to the deletion request it served. */
export interface DeletionRecord {
  format: 'unlearn-deletion-record';
  version: 1 | typeof RECORD_VERSION;
  id: string;
  createdAt: string;
  request: {
    forget: SplitRecord;
    retain?: SplitRecord;
    train?: SplitRecord;
    evaluation?: SplitRecord;
    /** The labelled set guards were measured on, when given apart from `evaluation`. */
    validation?: SplitRecord;
    importances?: { path: string; sha256: string; files: FileDigest[] };
  };
  method: {
    name: string;
    /** The package that registered the method. */
    source?: string;
    /** Options as the method resolved them (defaults filled in). */
    options: unknown;
    details: Record<string, unknown>;
  };
  seed: number;
  /** Every plugin whose code ran in this command; empty when none did (absent in older records). */
  plugins?: PluginRecord[];
  /** With `--auto`: the strength search, every trial, and whether the chosen one met the target. */
  auto?: AutoRecord;
  environment: {
    backend: string;
    tfjs: string;
    packages: Record<string, string>;
    node: string;
    platform: string;
  };
  model: { before: ModelRecord; after: ModelRecord };
  timing: {
    /** The unlearning step alone, as timed by core's runner (with --auto: the whole search, every trial). */
    unlearnMs: number;
    /** The whole command up to writing the output: loading, checks, evaluation, unlearning, saving. */
    totalMs: number;
  };
  evidence: {
    forgetAccuracy?: BeforeAfter;
    retainAccuracy?: BeforeAfter;
    testAccuracy?: BeforeAfter;
    /** Fraction of forget samples a membership-inference attack calls "member". */
    mia?: BeforeAfter;
    /** Every other metric of @unlearn/eval the data allowed (absent when none), by id, with its label. */
    metrics?: Record<string, BeforeAfter & { label: string; unit: string }>;
    parameters: {
      changed: number;
      total: number;
      variablesChanged: number;
      variables: number;
      /** Per layer (absent in older records); `stateChanged` counts changed non-trainable entries such as batch-norm statistics. */
      layers?: { name: string; changed: number; size: number; stateChanged: number }[];
    };
    /** Evidence that could not be produced, and why. */
    notes: string[];
  };
  /** SHA-256 over the canonical JSON of every other field (not `signature`); absent in version 1. */
  digest?: RecordDigest;
  /** With `forget --sign-key`: Ed25519 over the digest. */
  signature?: RecordSignature;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const row = (name: string, v: BeforeAfter | undefined, format = pct) =>
  v ? `| ${name} | ${format(v.before)} | ${format(v.after)} |` : undefined;

function splitLines(name: string, s: SplitRecord | undefined): string[] {
  if (!s) return [];
  const lines = [
    `- **${name}**: ${s.samples} samples, shape [${s.inputs.shape.join(', ')}], ${s.inputs.format} \`${s.inputs.path}\`, SHA-256 \`${s.inputs.sha256}\``,
  ];
  if (s.labels) {
    lines.push(`  - labels (${s.labels.from}) \`${s.labels.path}\`: ${s.labels.count} labels, SHA-256 \`${s.labels.sha256}\``);
  }
  return lines;
}

function modelLines(name: string, m: ModelRecord): string[] {
  return [
    `- **${name}** \`${m.path}\`: weights SHA-256 \`${m.weightsSha256}\``,
    ...m.files.map((f) => `  - \`${f.path}\` (${f.bytes} bytes): \`${f.sha256}\``),
  ];
}

function integrityLines(r: DeletionRecord): string[] {
  if (!r.digest) return ['No digest: this record predates them, so its fields are not covered by any hash.'];
  return [
    `Digest (${r.digest.algorithm} over the canonical JSON record, this Markdown excluded): \`${r.digest.value}\``,
    r.signature
      ? `Signed (${r.signature.algorithm}) by the key whose public key SHA-256 is \`${r.signature.publicKeySha256}\`.`
      : 'Not signed.',
  ];
}

function pluginLines(plugins: PluginRecord[] | undefined): string[] {
  if (!plugins) return [];
  const lines = plugins.length
    ? plugins.map(
        (p) =>
          `- **${p.name}${p.version ? `@${p.version}` : ''}** \`${p.entry}\`: SHA-256 \`${p.sha256}\`${p.methods.length ? `; methods: ${p.methods.join(', ')}` : ''}${p.error ? `; failed to load: ${p.error}` : ''}`,
      )
    : ['No plugin code was loaded.'];
  return ['## Plugins', '', ...lines, ''];
}

function layerLines(layers: DeletionRecord['evidence']['parameters']['layers']): string[] {
  if (!layers) return [];
  const moved = layers.reduce((n, l) => n + l.stateChanged, 0);
  return [
    `Layers changed: ${layers.filter((l) => l.changed > 0).length} of ${layers.length}; ` +
      `non-trainable state (batch-norm statistics) changed: ${moved === 0 ? 'none' : `${moved} entries`}.`,
  ];
}

/** The human-readable twin of deletion-record.json. */
export function renderRecordMarkdown(r: DeletionRecord): string {
  const evidence = [
    row('Forget accuracy', r.evidence.forgetAccuracy),
    row('Retain accuracy', r.evidence.retainAccuracy),
    row('Test accuracy', r.evidence.testAccuracy),
    row('MIA (forget samples called members)', r.evidence.mia),
    ...Object.values(r.evidence.metrics ?? {}).map((m) => row(m.label, m, m.unit === 'fraction' ? pct : (v) => v.toPrecision(4))),
  ].filter((l): l is string => l !== undefined);
  const p = r.evidence.parameters;
  return [
    `# Deletion record ${r.id}`,
    '',
    `Created ${r.createdAt} by unlearn ${r.environment.packages['@unlearn/cli'] ?? ''}. Method **${r.method.name}**${r.method.source ? ` (${r.method.source})` : ''}, seed ${r.seed}, backend ${r.environment.backend}, tfjs ${r.environment.tfjs}.`,
    '',
    '## What was requested',
    '',
    ...splitLines('Forget', r.request.forget),
    ...splitLines('Retain', r.request.retain),
    ...splitLines('Train', r.request.train),
    ...splitLines('Evaluation', r.request.evaluation),
    ...splitLines('Validation', r.request.validation),
    ...(r.request.importances ? [`- **Importances** \`${r.request.importances.path}\`: SHA-256 \`${r.request.importances.sha256}\``] : []),
    '',
    'Only hashes, counts and shapes are recorded, never the data.',
    '',
    '## Models',
    '',
    ...modelLines('Before', r.model.before),
    ...modelLines('After', r.model.after),
    '',
    ...pluginLines(r.plugins),
    '## Evidence',
    '',
    ...(evidence.length ? ['| metric | before | after |', '|---|---|---|', ...evidence, ''] : []),
    `Parameters changed: ${p.changed} of ${p.total} (${p.variablesChanged} of ${p.variables} variables).`,
    ...layerLines(p.layers),
    ...r.evidence.notes.map((n) => `- ${n}`),
    '',
    ...(r.auto
      ? [
          '## Auto mode',
          '',
          r.auto.satisfied ? `**Target met.** ${r.auto.reason}.` : `**PARTIAL: the target was not met.** ${r.auto.reason}.`,
          '',
          ...trialTable(r.auto),
          '',
        ]
      : []),
    '## Timing',
    '',
    `Unlearning step ${r.timing.unlearnMs.toFixed(1)} ms; whole command ${r.timing.totalMs.toFixed(1)} ms.`,
    '',
    '## Options',
    '',
    '```json',
    JSON.stringify(r.method.options, null, 2),
    '```',
    '',
    '## Integrity',
    '',
    ...integrityLines(r),
    '',
    `Check this record against the files with \`unlearn verify --record ${RECORD_JSON}\`${r.signature ? ' (add `--public-key <file>` to check the signature)' : ''}.`,
    '',
  ].join('\n');
}
