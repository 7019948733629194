import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, makeWorkspace, removeDir, SSD_INPUTS, type Workspace } from './helpers.js';

// docs/guide/models.md, tf.GraphModel: a converted graph model is refused with the fix, not a tfjs parse error.
let ws: Workspace;
beforeAll(async () => {
  ws = await makeWorkspace();
  const dir = join(ws.dir, 'graph');
  await mkdir(dir);
  const modelJson = {
    format: 'graph-model',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: { node: [{ name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } }], library: {}, versions: {} },
    weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(0));
});
afterAll(async () => {
  ws.model.dispose();
  await removeDir(ws.dir);
});

describe('unlearn forget on a graph model', () => {
  it('[bad input] unlearn forget on a converted tf.GraphModel (inference-only) → exit 3, naming the tensorflowjs_converter command that makes a layers model', async () => {
    const args = SSD_INPUTS.map((a) => (a === 'model' ? 'graph' : a));
    const run = await cli(['forget', ...args, '--method', 'ssd', '--backend', 'cpu', '--out', 'out-graph'], ws.dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/GraphModel, which is inference-only/);
    expect(run.stderr).toMatch(/tensorflowjs_converter --input_format keras/);
  });
});
