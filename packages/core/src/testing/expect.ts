/**
 * The few assertions the conformance checks need, without a test framework, so the checks
 * also run where vitest is absent (a GPU machine, another runner).
 */
function fmt(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function expect(actual: unknown, label = '') {
  const fail = (what: string): never => {
    throw new Error(`${label ? `${label}: ` : ''}expected ${fmt(actual)} ${what}`);
  };
  return {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`to be ${fmt(expected)}`);
    },
    toEqual(expected: unknown) {
      if (fmt(actual) !== fmt(expected)) fail(`to equal ${fmt(expected)}`);
    },
    toBeGreaterThan(n: number) {
      if (!((actual as number) > n)) fail(`to be greater than ${n}`);
    },
    toBeGreaterThanOrEqual(n: number) {
      if (!((actual as number) >= n)) fail(`to be >= ${n}`);
    },
    toBeLessThanOrEqual(n: number) {
      if (!((actual as number) <= n)) fail(`to be <= ${n}`);
    },
    not: {
      toBe(expected: unknown) {
        if (Object.is(actual, expected)) fail(`not to be ${fmt(expected)}`);
      },
    },
  };
}
