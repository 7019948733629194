// Imported by each process that runs queue jobs (the sandboxed children of `unlearn worker`) before
// its first job: registers the same methods the worker command loaded, under the same plugin rules.
import { loadMethods } from './methods.js';

export default async function setup(args?: { cwd?: string; allowOverride?: string[] }): Promise<void> {
  await loadMethods(args?.cwd ?? process.cwd(), { ...(args?.allowOverride ? { allowOverride: args.allowOverride } : {}) });
}
