import { recoverDir } from '@unlearn/core/node';
import type { Output } from './io.js';
import { lockOutDir } from './out-lock.js';

/**
 * Takes `--out` for this run: its lock, then the repair of what a killed earlier run left beside
 * it (core's `recoverDir`), said on stderr. Under the lock no other run writes there, so every
 * leftover is stale. An output brought back from `.<out>.old-*` (a kill between the two renames
 * of a `--force` replacement) counts as there all along: `recheck` (the command's `checkOutDir`)
 * runs again, so without `--force` the run stops instead of replacing it. Returns the release
 * function; on failure the lock is already released.
 */
export async function claimOutDir(outDir: string, given: string, out: Output, recheck: () => Promise<void>): Promise<() => Promise<void>> {
  const release = await lockOutDir(outDir, given, (m) => out.warn(m));
  try {
    const recovery = await recoverDir(outDir, { exclusive: true });
    if (recovery.restoredFrom) {
      out.warn(`--out ${given}: restored the previous output from ${recovery.restoredFrom}: an earlier run was killed while replacing it`);
    }
    if (recovery.removed.length) {
      out.warn(`--out ${given}: removed ${recovery.removed.join(', ')}, left beside it by an earlier run that was interrupted`);
    }
    if (recovery.restoredFrom) await recheck();
    return release;
  } catch (error) {
    await release();
    throw error;
  }
}
