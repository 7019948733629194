import { UnlearnError, type ModelAdapter } from '@unlearn/core';

/**
 * Which trainable variables may be dampened: variable-name substrings or regular expressions
 * (a variable matches if any entry matches), or a predicate on the name and its index among
 * the trainable variables. Importances are still computed for every variable.
 */
export type LayerFilter = readonly (string | RegExp)[] | ((name: string, index: number) => boolean);

export function isLayerFilter(value: unknown): value is LayerFilter {
  if (typeof value === 'function') return true;
  return Array.isArray(value) && value.every((v) => typeof v === 'string' || v instanceof RegExp);
}

/** One flag per variable name; throws when a filter is given but matches nothing. */
export function layerMask(method: string, names: readonly string[], filter: LayerFilter | undefined): boolean[] {
  if (filter === undefined) return names.map(() => true);
  const match =
    typeof filter === 'function'
      ? filter
      : (name: string) => filter.some((f) => (typeof f === 'string' ? name.includes(f) : new RegExp(f.source, f.flags.replace('g', '')).test(name)));
  const mask = names.map((name, i) => Boolean(match(name, i)));
  if (!mask.some(Boolean)) {
    throw new UnlearnError(
      'INVALID_OPTION',
      `${method}: option "layers" matches none of the trainable variables (${names.join(', ')})`,
    );
  }
  return mask;
}

/**
 * Trainable variable names that survive cloning. tfjs makes variable names unique per process,
 * so the runner's working copy of a LayersModel has `dense/kernel_1` where the caller's model
 * has `dense/kernel`; the layer weight's `originalName` is the caller's name.
 */
export function variableNames(model: ModelAdapter): string[] {
  if (model.kind === 'layers') {
    const weights = (model.model as { trainableWeights?: { originalName?: string }[] }).trainableWeights;
    if (weights && weights.length === model.trainable.length) {
      return model.trainable.map((v, i) => weights[i]!.originalName ?? v.name);
    }
  }
  return model.trainable.map((v) => v.name);
}
