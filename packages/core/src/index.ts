import './tfjs-runtime.js';

export { UnlearnError, isUnlearnError, abortError, invalidOption } from './errors.js';
export type { UnlearnErrorCode, UnlearnErrorLocation } from './errors.js';

export type { Batch, BatchSource, Dataset, TensorDataset } from './data/dataset.js';
export { datasetSize, fromBatches, hasLabels, isBatchSource } from './data/dataset.js';
export { batchCount, iterateBatches } from './data/batches.js';
export type { BatchOptions } from './data/batches.js';
export { checkOneHot, toClassIndices } from './data/labels.js';
export type { OneHotWhere } from './data/labels.js';
export {
  checkBatch,
  checkClassIndices,
  checkedBatches,
  checkFinite,
  checkInputShape,
  checkLabelCount,
  checkLabels,
  checkNotEmpty,
  requireLabels,
} from './data/checks.js';
export type { DataShape, DataWhere, StreamWhere } from './data/checks.js';
export { hashDataset } from './data/hash.js';
export { stableJson } from './stable-json.js';
export { EtaEstimator } from './progress/eta.js';
export { batchProgress } from './progress/batches.js';

export type { FunctionModel, ModelAdapter, NamedVariable, UnlearnableModel } from './model/types.js';
export { isModelAdapter, toModelAdapter } from './model/adapter.js';
export { isLayersModel } from './model/layers-adapter.js';
export { isFunctionModel } from './model/function-adapter.js';

export { createRng, shuffledIndices } from './random/rng.js';
export type { Rng } from './random/rng.js';
export { gaussianNoise } from './random/noise.js';
export { gaussianSource } from './random/gaussian.js';
export type { GaussianSource } from './random/gaussian.js';
export { seedWeights } from './random/seed-weights.js';
export { crossEntropyGradients, gradientsOf, sgdStep } from './gradients/gradients.js';
export { accumulateImportance, importanceObjective } from './gradients/importance.js';
export type { GradientReduction, ImportanceObjective, ImportanceOptions } from './gradients/importance.js';
export { diffWeights, hashWeights, nonFiniteVariables, restoreWeights, sha256Hex, snapshotWeights } from './weights/weights.js';
export type { ParameterChange, WeightSnapshot } from './weights/weights.js';
export { layerChanges } from './weights/layer-changes.js';
export type { LayerChange } from './weights/layer-changes.js';

export { autoUnlearn } from './auto/auto-unlearn.js';
export type { AutoResult, AutoTrial, AutoUnlearnOptions } from './auto/auto-unlearn.js';
export { DEFAULT_MAX_RETAIN_DROP, ONE_CLASS_TARGET } from './auto/target.js';
export type { AutoGuard, AutoTarget } from './auto/target.js';
export {
  agreement,
  agreementCounts,
  ClassCollector,
  classLabels,
  forwardBatches,
  predictClasses,
  singleClass,
  topClasses,
  topOneAccuracy,
} from './model/predict.js';
export type { ClassPredictions, ForwardBatch, ForwardOptions } from './model/predict.js';
export { defineOptions, FORBIDDEN_KEYS } from './options/schema.js';
export type { OptionFields, OptionsPreset, OptionsSchema, OptionsSchemaSpec } from './options/schema.js';
export { isNumberIn, option, parseText } from './options/fields.js';
export type { NumberBounds, OptionField, OptionProblem } from './options/fields.js';
export { defineUnlearner } from './contract/unlearner.js';
export type {
  ForgetRequest,
  Logger,
  PreparedRequest,
  StrengthKnob,
  ProgressEvent,
  UnlearnContext,
  Unlearner,
  UnlearnerNeeds,
  AsDetails,
  UnlearnDetails,
  UnlearnOutcome,
} from './contract/unlearner.js';
export { DEFAULT_SEED, unlearn } from './run/unlearn.js';
export { checkSeed, isSeed, MAX_SEED } from './run/seed.js';
export { abortPoint, nextTurn } from './run/abort-point.js';
export type { UnlearnOptions, UnlearnResult } from './run/unlearn.js';
export { requiredRetain, validateDataset, validateRequest } from './run/validate.js';
export { noopUnlearner } from './run/noop.js';
export type { NoopOptions } from './run/noop.js';

export {
  createUnlearner,
  hasUnlearner,
  methodSchema,
  registeredUnlearners,
  registerUnlearner,
  registrations,
  restoreRegistration,
  unregisterUnlearner,
} from './registry/registry.js';
export type {
  DetailsOf,
  MethodInfo,
  RegisteredMethod,
  Registration,
  UnlearnerDetailsRegistry,
  UnlearnerFactory,
  UnlearnerRegistry,
} from './registry/registry.js';

export { BACKEND_PREFERENCE, selectBackend } from './backend/select.js';
export type { BackendMode } from './backend/choice.js';
export type { BackendChoice, BackendName, SelectBackendOptions } from './backend/select.js';
export { missingWasmGradientKernels, registerWasmTrainingKernels } from './backend/wasm/index.js';
export type { WasmTrainingOptions } from './backend/wasm/index.js';

export { isNodeRuntime, loadNodeEntry, planWorkerThreads, whyNoWorkers, WORKER_BACKENDS } from './threads/plan.js';
export type {
  DispatchedForward,
  DispatchedGradients,
  DispatchedImportance,
  ForwardCallOptions,
  GradientSums,
  ImportanceCallOptions,
  ImportanceSums,
  NodeParallelHelpers,
  ReplicaSession,
  ThreadPlan,
} from './threads/plan.js';
