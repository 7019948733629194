import { describe, it } from 'vitest';
import { conformanceChecks, type ConformanceOptions } from './checks.js';

/**
 * The conformance suite as vitest tests. Call it inside a test file:
 * `describeUnlearner('jit', { create, fixture })`.
 */
export function describeUnlearner(name: string, options: ConformanceOptions): void {
  describe(`${name} conformance`, () => {
    for (const check of conformanceChecks(options)) it(check.name, () => check.run());
  });
}
