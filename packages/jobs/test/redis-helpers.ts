import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { JobResult, JobSpec, JobStore, PlannedJob } from '../src/index.js';

/**
 * A job the driver can queue without anything to run it: the driver reads only the key and sends
 * the description along; these tests decide what the store answers.
 */
export function fakeJob(): PlannedJob {
  const key = randomBytes(32).toString('hex');
  return { key, spec: { kind: 'method', seed: 0, method: { row: 'm', name: 'm', options: {} } } as unknown as JobSpec };
}

export const fakeResult = (key: string) => ({ key }) as JobResult;

/** A store whose only part the driver uses, reading results, answers as `read` says. */
export const fakeStore = (read: (key: string) => Promise<JobResult | undefined>) => ({ readResult: read }) as unknown as JobStore;

/** Resolves once `check` holds, polling; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not so after ${ms} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** `promise`, or a rejection saying it was still pending after `ms` (a driver that waits for ever). */
export function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`still pending after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** A connection as the server's administrator: to add users and count who is connected. */
export function adminOf(url: string) {
  const admin = new Redis(url);
  return {
    /** A user allowed everything but INFO, which BullMQ sends while connecting: its start fails after connecting. */
    async userWithoutInfo(name: string, password: string): Promise<string> {
      await admin.call('ACL', 'SETUSER', name, 'on', `>${password}`, '~*', '&*', '+@all', '-info');
      return url.replace('redis://', `redis://${name}:${password}@`);
    },
    async user(name: string, password: string): Promise<string> {
      await admin.call('ACL', 'SETUSER', name, 'on', `>${password}`, '~*', '&*', '+@all');
      return url.replace('redis://', `redis://${name}:${password}@`);
    },
    /** Connections the server has open for `user`. */
    async connections(user: string): Promise<number> {
      return String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(` user=${user} `)).length;
    },
    close: () => admin.quit(),
  };
}
