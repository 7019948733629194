/**
 * JSON with sorted keys and no whitespace, so equal objects give equal strings: cache keys,
 * reports, and the digest of a deletion record.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    // No prototype: `out['__proto__'] = …` on a plain object would set the prototype instead of
    // adding the key, and the key would drop out of the JSON (and of every digest taken over it).
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}
