import { UnlearnError } from '../errors.js';
import { parseText, type OptionField, type OptionProblem } from './fields.js';
import { closest } from './suggest.js';

/** A named setting: values for some options, and where the numbers come from. */
export type OptionsPreset<T> = Partial<T> & { source?: string };

export type OptionFields<T> = { [K in keyof T]-?: OptionField<NonNullable<T[K]>> };

export interface OptionsSchemaSpec<T> {
  /** The method's name, for error messages. */
  method: string;
  /** One field per option, in the order listings and records show them. */
  fields: OptionFields<T>;
  /** Values of unset options. Options with no default may stay unset. */
  defaults: Partial<T>;
  /**
   * Named settings; `options.preset` (or the default one) fills the options the caller did not
   * set, on top of `defaults`. Needs a `preset` field.
   */
  presets?: Readonly<Record<string, OptionsPreset<T>>>;
  /**
   * Former names of options, old → new, on top of `RENAMED_OPTIONS`: a caller still passing the
   * old name is told the new one, whatever the spelling distance.
   */
  renamed?: Readonly<Record<string, string>>;
  /** Checks across options (e.g. `resume` needs `checkpointDir`), after each option passed. */
  refine?: (options: T) => (OptionProblem & { option: string }) | undefined;
}

/**
 * A method's options in one place: defaults, presets, validation (unknown keys rejected with a
 * suggestion), the JSON form written into records, and coercion of command-line strings.
 */
export interface OptionsSchema<T> {
  readonly method: string;
  readonly fields: OptionFields<T>;
  readonly presets: Readonly<Record<string, OptionsPreset<T>>>;
  /**
   * Defaults, then the preset's values, then the given ones (undefined counts as unset). Never
   * throws: an unknown key or preset is kept for `validate`, which the runner calls before any
   * work, so that every bad option is reported the same way.
   */
  resolve(given?: Partial<T>): T;
  /** Throws INVALID_OPTION naming the first problem. */
  validate(options: T): void;
  /** The options as JSON-safe values (functions and datasets described, not copied). */
  toJson(options: T): Record<string, unknown>;
  /** `resolve()` with nothing given, as JSON: what `unlearn methods` lists. */
  defaultsJson(): Record<string, unknown>;
  /** The value of `--set key=text` for a top-level option; nested or unknown keys parse as JSON. */
  fromText(key: string, text: string): unknown;
}

/** Keys that would reach Object.prototype when written into a plain object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function optionError(method: string, option: string, problem: OptionProblem): UnlearnError {
  const name = problem.path ? `${option}.${problem.path}` : option;
  const got = typeof problem.value === 'function' ? 'a function' : JSON.stringify(problem.value) ?? String(problem.value);
  return new UnlearnError('INVALID_OPTION', `${method}: option "${name}" must be ${problem.requirement} (got ${got})`);
}

/**
 * Options renamed in every method that has them, old → new (a method without the new name gets
 * the plain unknown-option error).
 */
const RENAMED_OPTIONS: Readonly<Record<string, string>> = { workers: 'threads' };

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

export function defineOptions<T extends object>(spec: OptionsSchemaSpec<T>): OptionsSchema<T> {
  const { method, fields, defaults } = spec;
  const presets = spec.presets ?? {};
  const names = Object.keys(fields) as (keyof T & string)[];
  const known = new Set<string>(names);
  const renamed = { ...RENAMED_OPTIONS, ...spec.renamed };
  /** The new name of `key`, when `key` is a former name of one of this method's options. */
  const renamedTo = (key: string): string | undefined => (own(renamed, key) && known.has(renamed[key]!) ? renamed[key] : undefined);

  const presetValues = (name: unknown): Partial<T> => {
    if (typeof name !== 'string' || !own(presets, name)) return {};
    const out: Partial<T> = {};
    for (const [k, v] of Object.entries(presets[name]!)) if (known.has(k) && k !== 'preset') (out as Record<string, unknown>)[k] = v;
    return out;
  };

  const schema: OptionsSchema<T> = {
    method,
    fields,
    presets,
    resolve(given = {}) {
      const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<T>;
      const presetName = (set as { preset?: unknown }).preset ?? (defaults as { preset?: unknown }).preset;
      return { ...defaults, ...presetValues(presetName), ...set } as T;
    },
    validate(options) {
      for (const key of Object.keys(options)) {
        if (known.has(key)) continue;
        const newName = renamedTo(key);
        const guess = newName ?? (FORBIDDEN_KEYS.has(key) ? undefined : closest(key, names));
        const hint = newName ? `; it is now called "${newName}": did you mean "${newName}"?` : guess ? `; did you mean "${guess}"?` : '';
        throw new UnlearnError('INVALID_OPTION', `${method}: unknown option "${key}"${hint} (options: ${names.join(', ')})`);
      }
      for (const name of names) {
        const value = (options as Record<string, unknown>)[name];
        if (value === undefined) {
          if (own(defaults, name)) throw optionError(method, name, { requirement: fields[name].requirement, value });
          continue;
        }
        const problem = fields[name].check(value);
        if (problem) throw optionError(method, name, problem);
      }
      const problem = spec.refine?.(options);
      if (problem) throw optionError(method, problem.option, problem);
    },
    toJson(options) {
      const out: Record<string, unknown> = {};
      for (const name of names) {
        const value = options[name];
        if (value === undefined) continue;
        const json = fields[name].toJson(value as NonNullable<T[typeof name]>);
        if (json !== undefined) out[name] = json;
      }
      return out;
    },
    defaultsJson: () => schema.toJson(schema.resolve()),
    fromText(key, text) {
      return known.has(key) ? fields[key as keyof T & string].fromText(text) : parseText(text);
    },
  };
  return schema;
}
