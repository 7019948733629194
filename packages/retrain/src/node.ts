import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadTensors, saveTensors } from '@unlearn/core/node';
import type { Checkpoint, CheckpointMeta, CheckpointStore } from './checkpoint.js';

/**
 * A checkpoint store in a folder (manifest.json + tensors.bin). Each save replaces the folder
 * atomically through a temporary sibling, so an interrupted run leaves the previous complete
 * checkpoint or none, never half of one.
 */
export function fileCheckpointStore(dir: string): CheckpointStore {
  const path = resolve(dir);
  const exists = async () => {
    try {
      await stat(join(path, 'manifest.json'));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };
  return {
    location: path,
    exists,
    async load(): Promise<Checkpoint | undefined> {
      return (await exists()) ? loadTensors<CheckpointMeta>(path) : undefined;
    },
    async save(checkpoint: Checkpoint): Promise<void> {
      await saveTensors(path, checkpoint.tensors, checkpoint.meta);
    },
  };
}
