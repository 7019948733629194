import { Command, CommanderError } from 'commander';
import { benchCommand } from './commands/bench.js';
import type { CommandEnv } from './commands/env.js';
import { evalCommand } from './commands/eval.js';
import { forgetCommand } from './commands/forget.js';
import { importancesCommand } from './commands/importances.js';
import { methodsCommand } from './commands/methods.js';
import { verifyCommand } from './commands/verify.js';
import { workerCommand } from './commands/worker.js';
import { CliError, errorCodeOf, ExitCode, exitCodeOf } from './exit-codes.js';
import { defaultIO, Output, type CliIO } from './io.js';
import { cliVersion } from './versions.js';

const EXIT_HELP = `
Exit codes:
  0  ok
  1  unexpected error
  2  usage error (bad flags or options, unknown method, --out not writable)
  3  bad input (missing or corrupt file, wrong shape, labels, NaN in data or model; verify mismatch)
  4  aborted (Ctrl-C)
  5  refused: a method's guard (utility collapse) or its update became NaN; nothing written
`;

/** The `unlearn` command tree, writing only through `io` so tests can run it in-process. */
export function buildProgram(io: CliIO): { program: Command; env: CommandEnv } {
  const env: CommandEnv = { io, out: new Output(io) };
  const program = new Command('unlearn')
    .description('Machine unlearning for saved TensorFlow.js models: run deletion requests and keep auditable records')
    .version(cliVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    })
    .addHelpText('after', EXIT_HELP);
  forgetCommand(program, env);
  verifyCommand(program, env);
  importancesCommand(program, env);
  evalCommand(program, env);
  benchCommand(program, env);
  methodsCommand(program, env);
  workerCommand(program, env);
  return { program, env };
}

function commanderExit(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.OK;
  return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
}

/** Runs one command line (without the node and script arguments) and returns the exit status. */
export async function runCli(argv: readonly string[], partial: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = { ...defaultIO(), ...partial };
  const { program, env } = buildProgram(io);
  let code: number = ExitCode.OK;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      code = commanderExit(error);
      if (code !== ExitCode.OK && argv.includes('--json')) {
        io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: { code: 'USAGE', message: error.message.replace(/^error: /, '') } }, null, 2)}\n`);
      }
    } else {
      code = exitCodeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      const json = env.out.json || argv.includes('--json');
      if (!(error instanceof CliError && error.reported)) {
        if (json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: { code: errorCodeOf(error), message } }, null, 2)}\n`);
        io.stderr.write(`error: ${message}\n`);
        if (code === ExitCode.UNEXPECTED && error instanceof Error && process.env.UNLEARN_DEBUG) io.stderr.write(`${error.stack}\n`);
      }
    }
  }
  io.exit?.(code);
  return code;
}
