import { UnlearnError } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode, exitCodeOf } from '../src/index.js';
import { Output } from '../src/io.js';
import { ProgressBar } from '../src/progress.js';
import { Capture, cli } from './helpers.js';

const COMMANDS = ['forget', 'verify', 'importances', 'eval', 'bench', 'methods'];

describe('the unlearn program', () => {
  it('has --help for every command, on stdout with exit 0', async () => {
    const top = await cli(['--help'], process.cwd());
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(top.stdout).toMatch(/Exit codes:\n {2}0 {2}ok\n {2}1 {2}unexpected error/);
    for (const c of COMMANDS) {
      const run = await cli([c, '--help'], process.cwd());
      expect(run.code, c).toBe(0);
      expect(run.stdout, c).toMatch(new RegExp(`^Usage: unlearn ${c} \\[options\\]`));
    }
    const forget = await cli(['forget', '--help'], process.cwd());
    for (const flag of ['--model', '--forget', '--labels', '--method', '--options', '--set', '--importances', '--retain', '--retain-labels', '--train', '--train-labels', '--eval-data', '--eval-labels', '--seed', '--backend', '--out', '--json']) {
      expect(forget.stdout).toContain(flag);
    }
  });

  it('[bad input] no command, an unknown flag, a missing --forget, an unknown --backend, --seed -1, --retain-labels without --retain → usage error (exit 2; code USAGE with --json)', async () => {
    const none = await cli([], process.cwd());
    expect(none.code).toBe(2);
    const unknown = await cli(['methods', '--bogus'], process.cwd());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    const json = await cli(['methods', '--bogus', '--json'], process.cwd());
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ ok: false, exitCode: 2, error: { code: 'USAGE', message: "unknown option '--bogus'" } });
    const missing = await cli(['forget', '--model', 'm'], process.cwd());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--forget <file>' not specified/);
    const backend = await cli(['forget', '--backend', 'gpu'], process.cwd());
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/Allowed choices are tensorflow, webgpu, wasm, cpu/);
    const seed = await cli(['forget', '--model', 'm', '--forget', 'f', '--method', 'jit', '--out', 'o', '--seed', '-1'], process.cwd());
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed must be a non-negative integer/);
    const pair = await cli(['forget', '--model', 'm', '--forget', 'f', '--method', 'jit', '--out', 'o', '--retain-labels', 'r'], process.cwd());
    expect(pair.code).toBe(2);
    expect(pair.stderr).toMatch(/--retain-labels needs --retain/);
  });

  it('prints its version', async () => {
    const run = await cli(['--version'], process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('exit codes', () => {
  it('map core error codes to the documented statuses', () => {
    const core = (code: ConstructorParameters<typeof UnlearnError>[0]) => exitCodeOf(new UnlearnError(code, 'x'));
    expect(core('ABORTED')).toBe(ExitCode.ABORTED);
    expect(core('UTILITY_COLLAPSE')).toBe(ExitCode.REFUSED);
    expect(core('UNKNOWN_METHOD')).toBe(ExitCode.USAGE);
    expect(core('INVALID_OPTION')).toBe(ExitCode.USAGE);
    for (const c of ['SHAPE_MISMATCH', 'MISSING_LABELS', 'LABEL_OUT_OF_RANGE', 'CORRUPT_FILE', 'MISSING_DATA', 'MISMATCH'] as const) {
      expect(core(c), c).toBe(ExitCode.BAD_INPUT);
    }
    expect(exitCodeOf(new CliError('bad-input', 'BAD_PATH', 'x'))).toBe(3);
    expect(exitCodeOf(new TypeError('x'))).toBe(1);
    expect(ExitCode).toEqual({ OK: 0, UNEXPECTED: 1, USAGE: 2, BAD_INPUT: 3, ABORTED: 4, REFUSED: 5 });
  });
});

describe('progress bars', () => {
  const draw = (tty: boolean, json: boolean) => {
    const stderr = new Capture(tty);
    const out = new Output({ stdout: new Capture(), stderr, cwd: '.' });
    out.json = json;
    const bar = new ProgressBar(out);
    bar.start('ssd', 4);
    bar.update({ phase: 'importance-forget', step: 2, total: 4 });
    bar.stop();
    return stderr.text;
  };

  it('are drawn on a terminal only, and never with --json', () => {
    expect(draw(true, false)).toMatch(/importance-forget .*2\/4/);
    expect(draw(false, false)).toBe('');
    expect(draw(true, true)).toBe('');
  });
});
