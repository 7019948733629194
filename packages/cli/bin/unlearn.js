#!/usr/bin/env node
// The `unlearn` command. An installed package runs its build (dist/). A checkout of the
// repository has src/ here too, which is never published: there the command runs the TypeScript
// sources, so `npx unlearn` works right after `npm ci`, before any build, and never runs a stale
// dist/ (npm links this file at install time, when dist/ does not exist yet).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

if (!existsSync(source)) {
  await import('../dist/bin.js');
} else {
  // tsx is resolved from here, not from the caller's directory, which may be anywhere; through
  // createRequire, as Node before 20.6 has no import.meta.resolve without a flag (tsx's "." export
  // is one file, the ESM loader, whatever the conditions).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    ['--conditions=@unlearn/source', '--import', tsx, source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  // Ctrl-C in the terminal reaches the child as well, which aborts its running step and exits
  // with its own code: wait for that instead of dying first. A signal sent to this process alone
  // is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
}
