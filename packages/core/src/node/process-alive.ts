/**
 * Whether a process with this pid runs on this machine: signal 0 checks without sending anything.
 * EPERM means it runs under another user. A pid says nothing about other machines, and the system
 * may have reused it for an unrelated process since.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
