import { methodSchema, UnlearnError } from '@unlearn/core';

/**
 * Options that make a method read or write the file system of whoever runs it: retrain's
 * checkpoints (a folder it replaces, or a store object) and resuming from them. Listed by name
 * because a method may have no schema, or register these without marking them.
 */
const FILE_SYSTEM_OPTIONS = new Set(['checkpointDir', 'checkpointStore', 'resume']);

/**
 * Throws INVALID_OPTION when a method's options would reach the file system of the machine that
 * runs the job. Anyone who can write to the queue decides a job's options, and a worker runs them
 * with its own permissions: `checkpointDir: "/some/dir"` would make it replace any folder it can
 * write. A path also means nothing on another machine. Checked when a grid is planned (so the
 * user hears it before anything is queued) and again by each worker (which must not trust the queue).
 * `resume: false` is the default and reads nothing, so it passes.
 */
export function checkJobOptions(method: string, options: Readonly<Record<string, unknown>>): void {
  const fields = methodSchema(method)?.fields as Record<string, { path?: boolean } | undefined> | undefined;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (key === 'resume' && value === false)) continue;
    if (FILE_SYSTEM_OPTIONS.has(key) || fields?.[key]?.path) {
      throw new UnlearnError(
        'INVALID_OPTION',
        `jobs: ${method}'s option "${key}" reads or writes files on the machine that runs it, so a job cannot carry it (drop it, or run ${method} without --store/--queue)`,
      );
    }
  }
}
