import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// Platforms that cannot open or fsync a folder (Windows: EISDIR/EPERM; some file systems: EINVAL)
// say so with these; there the rename itself is all the durability on offer.
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Flushes a file's data to the disk, so a rename that publishes it never publishes empty blocks. */
export async function syncFile(path: string): Promise<void> {
  // 'r+' first: Windows refuses to flush a handle opened read-only. A read-only file (which a
  // fill may write on purpose) opens only with 'r', which POSIX systems can flush.
  const handle = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM') return open(path, 'r');
    throw error;
  });
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (files created or renamed in it) to the disk, where the platform allows. */
export async function syncDir(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** Flushes every file and folder under `dir`, then `dir` itself. Links are not followed. */
export async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(path);
    else if (entry.isFile()) await syncFile(path);
  }
  await syncDir(dir);
}
