import type { Command } from 'commander';
import { CliError } from '../exit-codes.js';
import { verifyRecord, type VerifyTargets } from '../verify.js';
import { backendOption, useBackend } from './common.js';
import type { CommandEnv } from './env.js';

interface VerifyFlags extends VerifyTargets {
  record: string;
  backend?: string;
  json?: boolean;
}

export function verifyCommand(program: Command, env: CommandEnv): void {
  program
    .command('verify')
    .description('Recompute the hashes in a deletion record and say whether the files still match it')
    .requiredOption('--record <file>', 'the deletion-record.json written by `unlearn forget`')
    .option('--model <path>', 'the unlearned model to check (default: the folder holding the record)')
    .option('--original <path>', 'also check the model the request was run on')
    .option('--forget <file>', 'also check that this forget data file (or image folder) is the one recorded')
    .option('--labels <file>', 'also check the forget labels file')
    .option('--retain <file>', 'also check the retain data')
    .option('--retain-labels <file>', 'also check the retain labels')
    .option('--train <file>', 'also check the training data')
    .option('--train-labels <file>', 'also check the training labels')
    .option('--eval-data <file>', 'also check the held-out data')
    .option('--eval-labels <file>', 'also check the held-out labels')
    .option('--validation <file>', 'also check the validation data')
    .option('--validation-labels <file>', 'also check the validation labels')
    .option('--public-key <file>', 'require a valid Ed25519 signature by this public key (PEM); see `forget --sign-key`')
    .addOption(backendOption())
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: VerifyFlags) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      await useBackend(flags.backend, out);
      const result = await verifyRecord(flags.record, flags, io.cwd);
      for (const w of result.warnings) out.warn(w);
      if (out.json) out.result(result);
      else {
        for (const c of result.checks) {
          const detail = c.ok ? c.note ?? c.actual!.slice(0, 16) + '…' : c.problem ?? `expected ${c.expected?.slice(0, 16)}… got ${c.actual?.slice(0, 16)}…`;
          out.line(`${c.ok ? 'ok      ' : 'MISMATCH'} ${c.name.padEnd(24)} ${detail}`);
        }
        out.line(result.ok ? `Record ${result.recordId} matches the files.` : `Record ${result.recordId} does NOT match the files.`);
      }
      if (!result.ok) {
        const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
        const error = new CliError('bad-input', 'MISMATCH', `verification failed: ${failed.join(', ')}`);
        error.reported = true;
        throw error;
      }
    });
}
