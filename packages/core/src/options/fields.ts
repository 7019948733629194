import { closest } from './suggest.js';

/**
 * One option of a method: what a valid value is, how to read it from a command-line string and
 * how to write it into a JSON record. `defineOptions` puts fields together into a schema.
 */
export interface OptionField<T> {
  /** What a valid value is, in words ("a finite number > 0"); shown in errors and listings. */
  readonly requirement: string;
  /**
   * A problem with `value`, or undefined when it is valid. A problem may name a sub-option
   * (`schedule.gamma`) and its own requirement, for options that are objects.
   */
  check(value: unknown): OptionProblem | undefined;
  /** The value a `--set key=text` on the command line gives (validation comes after). */
  fromText(text: string): unknown;
  /** The JSON-safe form for reports and deletion records; undefined leaves the option out. */
  toJson(value: T): unknown;
  /**
   * The value names a file or folder the method reads or writes. Such an option means something
   * only on the machine that gave it, so job runners (@unlearn/jobs) refuse to send it elsewhere.
   */
  readonly path?: boolean;
}

export interface OptionProblem {
  /** Dotted path below the option (`gamma` for `schedule.gamma`); the option itself when unset. */
  path?: string;
  requirement: string;
  value?: unknown;
}

/** JSON when the text parses (numbers, booleans, arrays, objects), else the text itself. */
export function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Plain values as they are; functions and class instances are described, never serialised. */
export function plainJson(value: unknown): unknown {
  if (typeof value === 'function') return '(function)';
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `(${proto?.constructor?.name ?? 'object'})`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const json = plainJson(v);
      if (json !== undefined) out[k] = json;
    }
    return out;
  }
  return value;
}

function field<T>(requirement: string, valid: (v: unknown) => boolean, extra: Partial<OptionField<T>> = {}): OptionField<T> {
  return {
    requirement,
    check: (v) => (valid(v) ? undefined : { requirement, value: v }),
    fromText: parseText,
    toJson: plainJson,
    ...extra,
  };
}

export interface NumberBounds {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be strictly greater. */
  above?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be strictly smaller. */
  below?: number;
  integer?: boolean;
}

function describeNumber(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`>= ${b.min}`);
  if (b.above !== undefined) parts.push(`> ${b.above}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  if (b.below !== undefined) parts.push(`< ${b.below}`);
  return `${b.integer ? 'an integer' : 'a finite number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

export function isNumberIn(v: unknown, b: NumberBounds): v is number {
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!b.integer || Number.isInteger(v)) &&
    (b.min === undefined || v >= b.min) &&
    (b.above === undefined || v > b.above) &&
    (b.max === undefined || v <= b.max) &&
    (b.below === undefined || v < b.below)
  );
}

const numberFromText = (text: string): unknown => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
};

/** The field builders every method's schema is made of. */
export const option = {
  number(bounds: NumberBounds = {}): OptionField<number> {
    return field(describeNumber(bounds), (v) => isNumberIn(v, bounds), { fromText: numberFromText });
  },
  /** An integer >= `min` (default 1): counts, sizes, epochs. */
  count(min = 1): OptionField<number> {
    return option.number({ integer: true, min });
  },
  /** Threads for a method's parallel work, counting the calling thread. */
  threads(): OptionField<number> {
    return option.count(1);
  },
  boolean(): OptionField<boolean> {
    return field('true or false', (v) => typeof v === 'boolean', {
      fromText: (t) => (t === 'true' ? true : t === 'false' ? false : t),
    });
  },
  oneOf<const V extends string>(values: readonly V[]): OptionField<V> {
    const requirement = `one of ${values.map((v) => `'${v}'`).join(', ')}`;
    return field(requirement, (v) => values.includes(v as V), {
      fromText: (t) => t,
      check(v) {
        if (values.includes(v as V)) return undefined;
        const guess = typeof v === 'string' ? closest(v, values) : undefined;
        return { requirement: guess ? `${requirement} (did you mean '${guess}'?)` : requirement, value: v };
      },
    });
  },
  /** A function; `signature` says what it is called with, for the error message. */
  func<F>(signature: string): OptionField<F> {
    return field(`a function ${signature}`, (v) => typeof v === 'function', { fromText: (t) => t, toJson: () => '(function)' });
  },
  /** `inner`, or the string 'auto' (the method then picks the value from the data). */
  orAuto<T>(inner: OptionField<T>): OptionField<T | 'auto'> {
    return {
      requirement: `'auto' or ${inner.requirement}`,
      check: (v) => (v === 'auto' ? undefined : inner.check(v) && { requirement: `'auto' or ${inner.requirement}`, value: v }),
      fromText: (t) => (t === 'auto' ? t : inner.fromText(t)),
      toJson: (v) => (v === 'auto' ? v : inner.toJson(v as T)),
    };
  },
  /** Anything else: `check` returns the problem, if any. */
  custom<T>(spec: {
    requirement: string;
    check: (value: unknown) => OptionProblem | boolean | undefined;
    toJson?: (value: T) => unknown;
    fromText?: (text: string) => unknown;
    /** See OptionField.path. */
    path?: boolean;
  }): OptionField<T> {
    return {
      requirement: spec.requirement,
      ...(spec.path ? { path: true } : {}),
      check(v) {
        const r = spec.check(v);
        if (r === true || r === undefined) return undefined;
        return r === false ? { requirement: spec.requirement, value: v } : r;
      },
      fromText: spec.fromText ?? parseText,
      toJson: spec.toJson ?? plainJson,
    };
  },
};
