import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadTensors, recoverDir, saveTensors } from '@unlearn/core/node';
import type { Checkpoint, CheckpointMeta, CheckpointStore } from './checkpoint.js';

/**
 * A checkpoint store in a folder (manifest.json + tensors.bin). Each save replaces the folder
 * atomically through a temporary sibling, flushed to disk first, so an interrupted run leaves the
 * previous complete checkpoint or the new one, never half of one. A kill between the two renames
 * leaves the previous one beside the folder (`.<name>.old-*`): `recover` moves it back.
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
    async recover(): Promise<string[]> {
      return (await recoverDir(path)).messages;
    },
    async load(): Promise<Checkpoint | undefined> {
      return (await exists()) ? loadTensors<CheckpointMeta>(path) : undefined;
    },
    async save(checkpoint: Checkpoint): Promise<void> {
      await saveTensors(path, checkpoint.tensors, checkpoint.meta);
    },
  };
}
