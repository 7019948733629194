import { randomUUID } from 'node:crypto';
import { registeredUnlearners, type ModelAdapter, type UnlearnResult } from '@unlearn/core';
import type { LoadedSplit } from '../data.js';
import { evidencePairs, type Evidence } from '../evidence.js';
import type { FileDigest } from '../hash.js';
import type { MethodCatalog } from '../methods.js';
import { pluginRecords } from '../plugin-load.js';
import type { PluginLoad } from '../plugins.js';
import { RECORD_VERSION, type DeletionRecord, type SplitRecord } from '../record.js';
import { softwareVersions } from '../versions.js';
import type { AutoRecord } from './forget-auto.js';
import type { ForgetFlags } from './forget.js';
import type { ForgetInputs, ImportanceInput } from './forget-inputs.js';

/** Everything a deletion record is made of, gathered by `unlearn forget`. */
export interface RecordParts {
  flags: ForgetFlags;
  inputs: ForgetInputs;
  importances: ImportanceInput | undefined;
  catalog: MethodCatalog;
  /** The name the method was created under. */
  method: string;
  result: UnlearnResult<ModelAdapter>;
  search: AutoRecord | undefined;
  beforeFiles: FileDigest[];
  before: { evidence: Evidence; notes: string[] };
  after: { evidence: Evidence; notes: string[] };
}

/**
 * The deletion record, complete but for what only the written folder gives: the new model's
 * files, the total time, the digest and the signature.
 */
export function deletionRecord(parts: RecordParts): DeletionRecord {
  const { flags, inputs, importances, catalog, result, search, before, after } = parts;
  const { forget, retain, train, evaluation, validation } = inputs;
  const info = registeredUnlearners().find((m) => m.name === parts.method);
  const changed = result.changes.reduce((n, c) => n + c.changed, 0);
  const total = result.changes.reduce((n, c) => n + c.size, 0);
  return {
    format: 'unlearn-deletion-record',
    version: RECORD_VERSION,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    request: {
      forget: splitRecord(forget),
      ...(retain ? { retain: splitRecord(retain) } : {}),
      ...(train ? { train: splitRecord(train) } : {}),
      ...(evaluation ? { evaluation: splitRecord(evaluation) } : {}),
      ...(validation ? { validation: splitRecord(validation) } : {}),
      ...(importances ? { importances: importances.record } : {}),
    },
    method: {
      name: result.method,
      // A plugin's registration names the plugin, whatever source it claimed.
      ...(catalog.providers[parts.method] ? { source: catalog.providers[parts.method] } : info?.source ? { source: info.source } : {}),
      options: toJsonSafe(result.options),
      details: toJsonSafe(result.details) as Record<string, unknown>,
    },
    seed: result.seed,
    plugins: pluginRecords(catalog.loads),
    ...(search ? { auto: search } : {}),
    environment: {
      backend: result.backend,
      tfjs: result.tfjsVersion,
      packages: softwareVersions(pluginVersions(catalog.loads)).packages,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    model: {
      before: { path: flags.model, weightsSha256: result.weightsSha256.before, files: parts.beforeFiles },
      after: { path: flags.out, weightsSha256: result.weightsSha256.after, files: [] },
    },
    timing: { unlearnMs: search ? search.searchMs : result.timeMs, totalMs: 0 },
    evidence: {
      ...evidencePairs(before.evidence, after.evidence),
      parameters: {
        changed,
        total,
        variablesChanged: result.changes.filter((c) => c.changed > 0).length,
        variables: result.changes.length,
        layers: result.layers.map(({ name, changed, size, stateChanged }) => ({ name, changed, size, stateChanged })),
      },
      notes: [...new Set([...before.notes, ...after.notes])],
    },
  };
}

function splitRecord(s: LoadedSplit): SplitRecord {
  return { samples: s.samples, inputs: s.x, ...(s.y ? { labels: s.y } : {}) };
}

/** Versions of the plugins that loaded (first-party versions come from softwareVersions). */
function pluginVersions(loads: PluginLoad[]): Record<string, string | undefined> {
  return Object.fromEntries(loads.filter((l) => l.ok && l.from !== 'first-party').map((l) => [l.specifier, l.version]));
}

/** Options may hold functions or RegExps (layer filters); the record keeps a readable form. */
function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? {}, (_k, v: unknown) => (typeof v === 'function' ? `[function ${(v as { name?: string }).name || 'anonymous'}]` : v instanceof RegExp ? String(v) : v)),
  );
}
