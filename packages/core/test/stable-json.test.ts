import { describe, expect, it } from 'vitest';
import { stableJson } from '../src/index.js';

describe('stableJson', () => {
  it('sorts keys at every depth and leaves out undefined fields', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"f":1}]},"b":1}');
  });

  it('keeps an own "__proto__" key (as JSON.parse makes it), so the object does not read as the one without it', () => {
    const withProto = JSON.parse('{"x":1,"__proto__":{"a":1}}') as object;
    expect(stableJson(withProto)).toBe('{"__proto__":{"a":1},"x":1}');
    expect(stableJson(withProto)).not.toBe(stableJson({ x: 1 }));
    expect(stableJson(JSON.parse('{"y":{"__proto__":[1]}}'))).toBe('{"y":{"__proto__":[1]}}');
  });
});
