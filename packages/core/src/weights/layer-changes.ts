import type { ParameterChange } from './weights.js';

/** What a run changed in one layer: the sum over the layer's variables. */
export interface LayerChange {
  /** The variables' name up to the last '/' (`dense_1` for `dense_1/kernel`); a name without '/' is its own layer. */
  name: string;
  /** Names of the layer's variables, in model order. */
  variables: string[];
  /** Entries whose value differs, over every variable of the layer. */
  changed: number;
  size: number;
  /**
   * Changed entries of non-trainable state (batch-norm moving statistics). Nonzero only for
   * methods that run the model in training mode: retrain, finetune and JiT with `training: true`.
   */
  stateChanged: number;
  maxAbsChange: number;
}

export function layerOf(variableName: string): string {
  const cut = variableName.lastIndexOf('/');
  return cut > 0 ? variableName.slice(0, cut) : variableName;
}

/**
 * Per-layer totals of a per-variable diff, layers in order of their first variable. Layers models
 * list trainable variables before state, so a batch-norm layer's statistics join its γ and β here.
 */
export function layerChanges(changes: readonly ParameterChange[]): LayerChange[] {
  const byName = new Map<string, LayerChange>();
  for (const c of changes) {
    const name = layerOf(c.name);
    let layer = byName.get(name);
    if (!layer) {
      layer = { name, variables: [], changed: 0, size: 0, stateChanged: 0, maxAbsChange: 0 };
      byName.set(name, layer);
    }
    layer.variables.push(c.name);
    layer.changed += c.changed;
    layer.size += c.size;
    if (!c.trainable) layer.stateChanged += c.changed;
    layer.maxAbsChange = Math.max(layer.maxAbsChange, c.maxAbsChange);
  }
  return [...byName.values()];
}
