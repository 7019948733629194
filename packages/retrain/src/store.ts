import { UnlearnError } from '@unlearn/core';
import type { CheckpointStore } from './checkpoint.js';
import type { TrainOptions } from './options.js';

// Imported by a computed name so that browser bundles of the main entry never pull in node:fs.
const NODE_ENTRY = '@unlearn/retrain/node';

export async function resolveCheckpointStore(method: string, options: TrainOptions): Promise<CheckpointStore | undefined> {
  if (options.checkpointStore) return options.checkpointStore;
  if (options.checkpointDir === undefined) return undefined;
  let mod: typeof import('./node.js');
  try {
    mod = (await import(/* @vite-ignore */ NODE_ENTRY)) as typeof import('./node.js');
  } catch (error) {
    throw new UnlearnError(
      'INVALID_OPTION',
      `${method}: checkpointDir needs Node's file system (${NODE_ENTRY} could not be loaded: ${(error as Error).message}); elsewhere pass checkpointStore`,
      { cause: error },
    );
  }
  return mod.fileCheckpointStore(options.checkpointDir);
}
