import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/node/index.js';

describe('isProcessAlive', () => {
  it('is true for this process and false for one that has exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => child.on('exit', done));
    expect(isProcessAlive(child.pid!)).toBe(false);
  });
});
