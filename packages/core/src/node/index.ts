export { writeDirAtomically } from './atomic-dir.js';
export { fileSystemLoader, fileSystemSaver, loadModel, saveModel } from './model-io.js';
export { loadTensors, saveTensors } from './tensor-io.js';
export { startWorker, siblingModule } from './start-worker.js';
export { modelArtifacts } from './replicas/artifacts.js';
export { dispatchForward, openForwardSession, parallelForward, splitRows } from './replicas/parallel-forward.js';
export type { DispatchedForward, ForwardCall, ForwardSession, ParallelForwardOptions } from './replicas/parallel-forward.js';
export { closeReplicaWorkers, defaultThreadCount } from './replicas/pool.js';
export type { ForwardOutput } from './replicas/protocol.js';
