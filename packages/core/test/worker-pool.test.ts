import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { workerPool } from '../src/node/index.js';

const entry = new URL('./fixtures/echo-worker.mjs', import.meta.url);

describe('workerPool', () => {
  it('starts workers on demand, hands released ones out again, and terminates the idle ones on close', async () => {
    const pool = workerPool(entry);
    const [a, b] = pool.acquire(2);
    expect(a).toBeDefined();
    expect(b).not.toBe(a);
    a!.postMessage('ping');
    expect(await once(a!, 'message')).toEqual(['ping']);
    pool.release([a!, b!]);
    const again = pool.acquire(3);
    expect(again.slice(0, 2)).toEqual([a, b]);
    pool.release(again);
    const exits = again.map((w) => once(w, 'exit'));
    await pool.close();
    await Promise.all(exits);
    const fresh = pool.acquire(1);
    expect(fresh[0]).not.toBe(a);
    pool.release(fresh);
    await pool.close();
  });

  it('forgets an idle worker that exits on its own', async () => {
    const pool = workerPool(entry);
    const [a] = pool.acquire(1);
    pool.release([a!]);
    await a!.terminate();
    const [b] = pool.acquire(1);
    expect(b).not.toBe(a);
    await b!.terminate();
  });
});
