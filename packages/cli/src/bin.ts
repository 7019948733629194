#!/usr/bin/env node
import { runCli } from './program.js';

// Ctrl-C aborts the running step through core's AbortSignal (exit 4); a second one quits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted (SIGINT)'));
});
const code = await runCli(process.argv.slice(2), { signal: controller.signal });
// tfjs backends can keep handles open; leave once stdout has drained.
process.stdout.write('', () => process.exit(code));
