import { fileURLToPath } from 'node:url';
import { runCli, type MethodCatalog } from '@unlearn/cli';
import { describe, expect, it } from 'vitest';

// A project folder whose unlearn.config.json names this plugin by path, as a user would.
const project = fileURLToPath(new URL('./fixtures/project', import.meta.url));

class Capture {
  text = '';
  write(s: string) {
    this.text += s;
    return true;
  }
}

async function cli(args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, cwd: project });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('unlearn methods', () => {
  it('lists gradient-ascent from unlearn.config.json, loaded without error', async () => {
    const run = await cli(['methods', '--json']);
    expect(run.code).toBe(0);
    const { methods, loads } = JSON.parse(run.stdout) as MethodCatalog;
    expect(methods.find((m) => m.name === 'gradient-ascent')).toMatchObject({
      source: 'unlearn-plugin-gradient-ascent',
      defaults: { lr: 0.01, epochs: 1, batchSize: 32, maxLoss: 5 },
    });
    expect(loads.find((l) => l.specifier === '../../../src/index.ts')).toMatchObject({ from: 'config', ok: true });
  });

  it('prints it next to the first-party methods', async () => {
    const run = await cli(['methods']);
    expect(run.code).toBe(0);
    // The lines docs/guide/plugins.md shows.
    expect(run.stdout).toContain(
      [
        'gradient-ascent  (unlearn-plugin-gradient-ascent)',
        '  Gradient ascent on the forget set cross-entropy (example plugin); needs forget labels',
        '  defaults: {"lr":0.01,"epochs":1,"batchSize":32,"maxLoss":5}',
      ].join('\n'),
    );
    expect(run.stdout).toMatch(/^jit {2}\(@unlearn\/jit\)$/m);
    expect(run.stdout).not.toMatch(/Could not load/);
  });
});
