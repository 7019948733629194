import { hasUnlearner, registeredUnlearners, UnlearnError } from '@unlearn/core';
import { checkJobOptions } from './file-options.js';
import { packageVersion } from './package-version.js';
import type { MethodSpec } from './spec.js';

/** The package that registered a method, and its installed version, as far as this process knows. */
export function methodOrigin(name: string): { source?: string; version?: string } {
  const source = registeredUnlearners().find((m) => m.name === name)?.source;
  if (source === undefined) return {};
  const version = packageVersion(source);
  return { source, ...(version ? { version } : {}) };
}

/**
 * A method as a job names it: its options (refused if they would touch the runner's files), and
 * the package and version that registered it, so that upgrading a method's package changes its
 * jobs' keys instead of reusing results computed by the old code.
 */
export function methodSpec(row: string, choice: { name: string; options?: Record<string, unknown> }): MethodSpec {
  const options = choice.options ?? {};
  checkJobOptions(choice.name, options);
  return { row, name: choice.name, options, ...methodOrigin(choice.name) };
}

const described = (o: { source?: string; version?: string }) =>
  o.source === undefined ? 'no known package' : `${o.source}${o.version ? ` ${o.version}` : ' (version unknown)'}`;

/**
 * What a worker checks before running a job's method: the options again (the queue is not
 * trusted), and that this process registers the method from the same package and version as the
 * planner did; a result computed by other code would be stored under a key that promises this code.
 */
export function checkMethodSpec(method: MethodSpec): void {
  checkJobOptions(method.name, method.options);
  // An unregistered name fails in createUnlearner, with the list of registered ones.
  if (!hasUnlearner(method.name)) return;
  const here = methodOrigin(method.name);
  if (here.source !== method.source || here.version !== method.version) {
    throw new UnlearnError(
      'MISMATCH',
      `jobs: the job's method ${method.name} comes from ${described(method)}, this process has ${described(here)}: install the same version on every machine`,
    );
  }
}
