import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import { saveModel } from '@unlearn/core/node';
import { runCli, type DeletionRecord } from '@unlearn/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byClass, trainedTask } from './helpers.js';

/** The `unlearn ...` command lines of docs/examples/cli.sh (shown on the CLI page), continuation lines joined. */
async function commandLines(): Promise<string[][]> {
  const text = await readFile(fileURLToPath(new URL('../examples/cli.sh', import.meta.url)), 'utf8');
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('unlearn '))
    .map((line) => line.split(/\s+/).slice(1));
}

const capture = () => ({
  text: '',
  write(s: string) {
    this.text += s;
    return true;
  },
});

async function writeJson(path: string, t: tf.Tensor): Promise<void> {
  await writeFile(path, JSON.stringify({ shape: t.shape, data: Array.from(await t.data()) }));
}

let dir: string;
beforeAll(async () => {
  // The files the script names: a trained tiny classifier and its data, forgetting class 2.
  dir = await mkdtemp(join(tmpdir(), 'unlearn-docs-cli-'));
  const task = await trainedTask();
  await saveModel(task.model, join(dir, 'model'));
  const forget = byClass(task.train, 2);
  const retain = byClass(task.train, 2, false);
  const files: Record<string, tf.Tensor> = {
    'forget.json': forget.x,
    'forget-labels.json': forget.y,
    'retain.json': retain.x,
    'retain-labels.json': retain.y,
    'train.json': task.train.x,
    'train-labels.json': task.train.y,
    'test.json': task.test.x,
    'test-labels.json': task.test.y,
  };
  for (const [name, t] of Object.entries(files)) await writeJson(join(dir, name), t);
  task.dispose();
  [forget.x, forget.y, retain.x, retain.y].forEach((t) => t.dispose());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('docs/examples/cli.sh', () => {
  it('runs every command of the CLI page, each exiting 0', async () => {
    const lines = await commandLines();
    expect(lines.map((l) => l[0])).toEqual(['methods', 'forget', 'verify', 'importances', 'forget', 'eval']);
    for (const args of lines) {
      const stdout = capture();
      const stderr = capture();
      const code = await runCli(args, { stdout, stderr, cwd: dir });
      expect(code, `unlearn ${args.join(' ')}\n${stderr.text}`).toBe(0);
    }
    const record = JSON.parse(await readFile(join(dir, 'model-v3', 'deletion-record.json'), 'utf8')) as DeletionRecord;
    expect(record.method.name).toBe('ssd');
    expect(record.method.options).toMatchObject({ alpha: 5, lambda: 0.1 });
  });
});
