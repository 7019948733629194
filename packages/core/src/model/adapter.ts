import { UnlearnError } from '../errors.js';
import { functionAdapter, isFunctionModel } from './function-adapter.js';
import { graphModelError, isGraphModel } from './graph-model.js';
import { isLayersModel, layersAdapter } from './layers-adapter.js';
import type { ModelAdapter, UnlearnableModel } from './types.js';

export function isModelAdapter(value: unknown): value is ModelAdapter {
  const v = value as Partial<ModelAdapter> | null;
  return typeof v === 'object' && v !== null && (v.kind === 'layers' || v.kind === 'function') && typeof v.logits === 'function';
}

/** The single entry point that turns whatever model the user has into a `ModelAdapter`. */
export function toModelAdapter(model: UnlearnableModel | ModelAdapter): ModelAdapter {
  if (isModelAdapter(model)) return model;
  if (isLayersModel(model)) return layersAdapter(model);
  if (isFunctionModel(model)) return functionAdapter(model);
  if (isGraphModel(model)) throw graphModelError('The model');
  throw new UnlearnError(
    'UNSUPPORTED_MODEL',
    'Expected a tfjs LayersModel or a function model { variables, apply(x, { training }) }',
  );
}
