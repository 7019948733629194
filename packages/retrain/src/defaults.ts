/** Defaults overlaid with the given options, ignoring keys explicitly set to undefined. */
export function withDefaults<T extends object>(defaults: T, options: Partial<T> | undefined): T {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
