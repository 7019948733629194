import { describe, expect, it } from 'vitest';
import { checkRedisUrl, redactUrl } from '../src/redis/index.js';

// Queue URLs end up in logs and error messages; a password in them must not.

describe('queue URLs as printed', () => {
  it('hide the password, whether or not the text parses', () => {
    expect(redactUrl('redis://alice:s3cret@queue-host:6379/2')).toBe('redis://alice:***@queue-host:6379/2');
    expect(redactUrl('rediss://:s3cret@queue-host:6380')).toBe('rediss://:***@queue-host:6380');
    expect(redactUrl('redis://alice:p@ss@queue-host')).toBe('redis://alice:***@queue-host');
    expect(redactUrl('redis://queue-host:6379')).toBe('redis://queue-host:6379');
    expect(redactUrl('redis://alice@queue-host')).toBe('redis://alice@queue-host');
    expect(() => checkRedisUrl('http://alice:s3cret@queue-host')).toThrow('--queue http://alice:***@queue-host must start with redis://');
    expect(() => checkRedisUrl('redis://alice:s3cret@queue host')).toThrow(/^--queue redis:\/\/alice:\*\*\*@queue host is not a URL/);
  });
});
