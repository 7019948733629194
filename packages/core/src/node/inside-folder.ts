import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UnlearnError } from '../errors.js';

/**
 * Whether `inner` is `outer` or lies below it, comparing the paths as given (resolve links first
 * where it matters). A name that merely starts with two dots (`..cache`) is inside.
 */
export function isPathInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * `path` (as written in a file such as model.json) resolved against `dir`, after checking that
 * it stays inside `dir` once links are followed: a path read from a file must never reach
 * another folder (`../../etc/shadow`, an absolute path, a link out of the folder).
 * `what` names the file and field for the error.
 */
export async function fileInsideFolder(dir: string, path: string, what: string): Promise<string> {
  const outside = () =>
    new UnlearnError('CORRUPT_FILE', `${what}: "${path}" points outside its folder ${dir}; only files inside it are read`);
  // Not interpolated: a deeply nested array would overflow the stack on its way into the message.
  if (typeof path !== 'string') throw new UnlearnError('CORRUPT_FILE', `${what}: ${Array.isArray(path) ? 'a list' : typeof path} is not a file name`);
  if (path.length === 0 || isAbsolute(path)) throw outside();
  const file = resolve(dir, path);
  const [realDir, realFile] = await Promise.all([realpath(dir), realpathOfMissing(file)]);
  if (realFile === realDir || !isPathInside(realFile, realDir)) throw outside();
  return file;
}

/**
 * `realpath`, also for a file that does not exist: its nearest existing folder resolved through
 * links, and the missing rest of the path after it. Compared as given instead, a missing file in
 * a folder reached through a link would look outside the folder's real path; this way its read
 * fails as missing.
 */
async function realpathOfMissing(path: string): Promise<string> {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...missing);
    } catch (error) {
      const parent = dirname(at);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw error;
      missing.unshift(basename(at));
      at = parent;
    }
  }
}
