import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a folder atomically: `fill` writes into a temporary sibling, which then replaces
 * `dir` with renames, so a crash never leaves a half-written folder where `dir` should be.
 */
export async function writeDirAtomically(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(dir)}.old-${stamp}`);
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
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
  if (movedOld) await rm(old, { recursive: true, force: true });
}
