export { writeDirAtomically } from './atomic-dir.js';
export { fileSystemLoader, fileSystemSaver, loadModel, saveModel } from './model-io.js';
export { loadTensors, saveTensors } from './tensor-io.js';
