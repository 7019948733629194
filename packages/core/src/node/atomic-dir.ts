import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { inFlightStamp, newStamp, oldSibling, recoverDir, tmpSibling, writesInFlight } from './dir-leftovers.js';
import { syncDir, syncTree } from './fsync.js';

/**
 * Writes a folder atomically: `fill` writes into a temporary sibling, every file and folder in it
 * is flushed to disk, then it replaces `dir` with two renames (old content aside, new content in)
 * and the parent folder is flushed. A kill at any point leaves either the previous complete
 * content or the new one reachable: at `dir`, or between the renames at `.<name>.old-*`, which
 * `recoverDir` (run first by every write, and by the CLI before a command's work) moves back.
 * Returns the sentences of that recovery, for the caller to pass on to the user.
 */
export async function writeDirAtomically(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<string[]> {
  if (inFlightStamp(dir)) {
    // `dir` is the temporary folder of an enclosing write (e.g. saveModel inside forget's output):
    // that write already swaps and flushes it, and a second swap would leave leftovers under a
    // name the enclosing folder's recovery does not know.
    for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
    await fill(dir);
    return [];
  }
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const { messages } = await recoverDir(dir);
  const stamp = newStamp();
  const tmp = tmpSibling(dir, stamp);
  const old = oldSibling(dir, stamp);
  writesInFlight.add(stamp);
  try {
    await mkdir(tmp);
    try {
      await fill(tmp);
      await syncTree(tmp);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    let movedOld = false;
    try {
      await rename(dir, old);
      movedOld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        await rm(tmp, { recursive: true, force: true });
        throw error;
      }
    }
    try {
      await rename(tmp, dir);
    } catch (error) {
      if (movedOld) await rename(old, dir);
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    await syncDir(parent);
    if (movedOld) await rm(old, { recursive: true, force: true });
  } finally {
    writesInFlight.delete(stamp);
  }
  return messages;
}
