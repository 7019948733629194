/** bullmq, imported only by the Redis driver and worker: the embedded driver's users never install it. */
export type Bullmq = typeof import('bullmq');

export const INSTALL_HINT = 'npm install bullmq ioredis';

export async function loadBullmq(): Promise<Bullmq> {
  try {
    const bullmq = await import('bullmq');
    // bullmq loads ioredis lazily too; fail here, with the fix, rather than at the first connection.
    await import('ioredis');
    return bullmq;
  } catch (error) {
    throw new Error(`The Redis job queue needs the packages bullmq and ioredis, which are not installed: ${INSTALL_HINT}`, { cause: error });
  }
}

/** The default queue name; a Redis server can hold several grids' queues under other names. */
export const DEFAULT_QUEUE = 'unlearn-jobs';

/**
 * A URL as it may be printed or logged: the password of `scheme://user:password@host` replaced by
 * `***`. Works on text that does not parse as a URL too (an error message quotes what was given).
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  if (!m) return url;
  const userinfo = m[2]!;
  const colon = userinfo.indexOf(':');
  if (colon < 0) return url;
  return `${m[1]}${userinfo.slice(0, colon)}:***@${url.slice(m[0].length)}`;
}

/** `redis://host:port[/db]` (or rediss:// for TLS), checked before any connection is tried. */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--queue ${redactUrl(url)} is not a URL; give redis://host:port`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`--queue ${redactUrl(url)} must start with redis:// or rediss://`);
  return url;
}

/** What a worker returns to the queue: the result itself stays in the store. */
export interface JobReturn {
  key: string;
  /** False when the result was in the store already (a duplicate delivery), so nothing ran. */
  ran: boolean;
  worker: string;
}

/** What the queue carries for a job. */
export interface JobData {
  key: string;
  spec: import('../spec.js').JobSpec;
}

/** The environment variable that hands a sandboxed processor its worker's configuration. */
export const CONFIG_ENV = 'UNLEARN_JOBS_CONFIG';
