import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { postTask, workerPool } from '../src/node/index.js';

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

describe('postTask', () => {
  // The echo worker answers each task with the task itself, id included.
  it('settles with the final reply, passes interim ones on, and fails on an error reply', async () => {
    const pool = workerPool(entry);
    const [w] = pool.acquire(1);
    const seen: string[] = [];
    const done = postTask<{ id: number; type: string; value?: number }>(w!, { type: 'done', value: 7 }, [], {
      name: 'echo',
      interim: (r) => (seen.push(r.type), false),
    });
    expect(await done).toMatchObject({ type: 'done', value: 7 });
    expect(seen).toEqual(['done']);
    await expect(postTask(w!, { type: 'error', message: 'boom' }, [], { name: 'echo' })).rejects.toThrow('echo: boom');
    const located = { type: 'error', message: 'bad', code: 'LABEL_OUT_OF_RANGE', split: 'forget', field: 'y', index: 3 };
    await expect(postTask(w!, located, [], { name: 'echo' })).rejects.toMatchObject({
      name: 'UnlearnError',
      message: 'bad',
      code: 'LABEL_OUT_OF_RANGE',
      split: 'forget',
      field: 'y',
      index: 3,
    });
    const own = new Error('own');
    await expect(postTask(w!, { type: 'error', message: 'x' }, [], { name: 'echo', failure: () => own })).rejects.toBe(own);
    pool.release([w!]);
    await pool.close();
  });

  it('rejects an aborted task and terminates its worker', async () => {
    const pool = workerPool(entry);
    const [w] = pool.acquire(1);
    const controller = new AbortController();
    controller.abort();
    const exit = once(w!, 'exit');
    await expect(postTask(w!, { type: 'done' }, [], { name: 'echo', signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    await exit;
  });
});
