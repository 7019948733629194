import { UnlearnError } from '../errors.js';
import type { OptionsSchema } from '../options/schema.js';
import type { UnlearnDetails, Unlearner } from '../contract/unlearner.js';

/**
 * Method names and their option types. Packages widen it by module augmentation:
 *
 * ```ts
 * declare module '@unlearn/core' {
 *   interface UnlearnerRegistry { 'my-method': MyOptions }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so plugins can add their entries by declaration merging.
export interface UnlearnerRegistry {}

export type RegisteredMethod = keyof UnlearnerRegistry & string;

/**
 * Method names and the type of the `details` their runs report, widened the same way; a method
 * missing here reports plain `UnlearnDetails`:
 *
 * ```ts
 * declare module '@unlearn/core' {
 *   interface UnlearnerDetailsRegistry { 'my-method': MyDetails }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so plugins can add their entries by declaration merging.
export interface UnlearnerDetailsRegistry {}

/** The `details` type a registered method's runs report. */
export type DetailsOf<K extends string> = K extends keyof UnlearnerDetailsRegistry ? UnlearnerDetailsRegistry[K] : UnlearnDetails;

export type UnlearnerFactory<Options = any, Details = UnlearnDetails> = (options?: Partial<Options>) => Unlearner<Options, Details>;

export interface MethodInfo {
  name: string;
  description?: string;
  /** Default option values, shown by `unlearn methods`; taken from `schema` when it is given. */
  defaults?: Record<string, unknown>;
  /** The method's options schema: defaults, presets, and how the CLI reads `--set` values. */
  schema?: OptionsSchema<any>;
  /** Where the method comes from (package name), for listings. */
  source?: string;
}

interface Entry {
  factory: UnlearnerFactory;
  info: MethodInfo;
}

// Kept on globalThis so that two copies of @unlearn/core in one app share one registry.
const REGISTRY_KEY = Symbol.for('@unlearn/core/registry');
function entries(): Map<string, Entry> {
  const g = globalThis as unknown as Record<symbol, Map<string, Entry> | undefined>;
  g[REGISTRY_KEY] ??= new Map();
  return g[REGISTRY_KEY];
}

export function registerUnlearner<K extends string>(
  name: K,
  factory: K extends RegisteredMethod ? UnlearnerFactory<UnlearnerRegistry[K], DetailsOf<K>> : UnlearnerFactory,
  info: Omit<MethodInfo, 'name'> & { replace?: boolean } = {},
): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new UnlearnError('INVALID_OPTION', `Method names are lower-case words joined by dashes (got "${name}")`);
  }
  const map = entries();
  const existing = map.get(name);
  // The same package loaded twice (ESM and CJS builds, or two installed copies) registers again:
  // that is not a conflict, whereas another package taking a name is.
  const samePackage = existing !== undefined && info.source !== undefined && existing.info.source === info.source;
  if (existing && existing.factory !== factory && !samePackage && !info.replace) {
    throw new UnlearnError(
      'DUPLICATE_METHOD',
      `A method named "${name}" is already registered${existing.info.source ? ` by ${existing.info.source}` : ''}; pass { replace: true } to override it`,
    );
  }
  const { replace: _replace, ...rest } = info;
  const defaults = rest.defaults ?? rest.schema?.defaultsJson();
  map.set(name, { factory: factory as UnlearnerFactory, info: { name, ...rest, ...(defaults ? { defaults } : {}) } });
}

export function unregisterUnlearner(name: string): boolean {
  return entries().delete(name);
}

declare const registrationBrand: unique symbol;
/** One name's registration as an opaque handle; every `registerUnlearner` call makes a new one. */
export interface Registration {
  readonly [registrationBrand]: true;
}

/**
 * The current registration of every name. Comparing two snapshots tells which names code that ran
 * in between (a plugin's import, say) registered or took over, whatever `source` it claimed.
 */
export function registrations(): Map<string, Registration> {
  return new Map([...entries()].map(([name, entry]) => [name, entry as unknown as Registration]));
}

/** Puts back a handle from `registrations()`, whoever registered the name since. */
export function restoreRegistration(name: string, registration: Registration): void {
  entries().set(name, registration as unknown as Entry);
}

/** What is registered, JSON-safe (the schemas stay out: `methodSchema` returns one). */
export function registeredUnlearners(): MethodInfo[] {
  return [...entries().values()]
    .map(({ info: { schema: _schema, ...info } }) => info)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The options schema a method was registered with, if any. */
export function methodSchema(name: string): OptionsSchema<any> | undefined {
  return entries().get(name)?.info.schema;
}

export function hasUnlearner(name: string): boolean {
  return entries().has(name);
}

/** Builds a registered method by name; unknown names list the registered ones. */
export function createUnlearner<K extends RegisteredMethod>(
  name: K,
  options?: Partial<UnlearnerRegistry[K]>,
): Unlearner<UnlearnerRegistry[K], DetailsOf<K>>;
// Names not in the registry (plugins discovered at run time, CLI input) are untyped; a
// registered name never falls through to this overload, so its options stay type-checked.
export function createUnlearner<K extends string>(name: K extends RegisteredMethod ? never : K, options?: Record<string, unknown>): Unlearner;
export function createUnlearner(name: string, options?: Record<string, unknown>): Unlearner {
  const entry = entries().get(name);
  if (!entry) {
    const known = registeredUnlearners().map((m) => m.name);
    throw new UnlearnError(
      'UNKNOWN_METHOD',
      `Unknown unlearning method "${name}". Registered: ${known.length ? known.join(', ') : '(none; import a method package such as @unlearn/jit)'}`,
    );
  }
  return entry.factory(options);
}
