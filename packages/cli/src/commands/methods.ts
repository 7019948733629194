import type { Command } from 'commander';
import { createUnlearner, type MethodInfo } from '@unlearn/core';
import { loadMethods, reportPlugins } from '../methods.js';
import type { CommandEnv } from './env.js';

export function methodsCommand(program: Command, env: CommandEnv): void {
  program
    .command('methods')
    .description('List the unlearning methods available here: first-party, and the plugins of the project root (dependencies with the keyword "unlearn-plugin", unlearn.config.json); imports every plugin')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: { json?: boolean }) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      const catalog = await loadMethods(io.cwd);
      reportPlugins(out, catalog);
      const methods = catalog.methods.map((m) => ({ ...m, ...autoOf(m) }));
      if (out.json) {
        out.result({ methods, loads: catalog.loads, overrides: catalog.overrides });
        return;
      }
      if (catalog.methods.length === 0) out.line('No methods registered.');
      for (const m of methods) {
        out.line(`${m.name}${m.source ? `  (${m.source})` : ''}`);
        if (m.description) out.line(`  ${m.description}`);
        if (m.defaults && Object.keys(m.defaults).length) out.line(`  defaults: ${JSON.stringify(m.defaults)}`);
        out.line(m.auto ? `  --auto searches ${m.auto.option} from ${m.auto.weakest} to ${m.auto.strongest}` : '  no --auto (declares no strength)');
      }
      const failed = catalog.loads.filter((l) => !l.ok);
      if (failed.length) {
        out.line('');
        out.line('Could not load:');
        for (const f of failed) out.line(`  ${f.specifier} (${f.from}): ${f.error}`);
      }
    });
}

/** What `--auto` would search for a method: its declared strength, if it declares one. */
function autoOf(m: MethodInfo): { auto?: { option: string; weakest: number; strongest: number } } {
  try {
    const strength = createUnlearner(m.name).strength;
    return strength ? { auto: { option: strength.option, weakest: strength.weakest, strongest: strength.strongest } } : {};
  } catch {
    // A plugin whose factory throws without options is still listed; it just shows no auto mode.
    return {};
  }
}
