import type { Command } from 'commander';
import { loadMethods } from '../methods.js';
import type { CommandEnv } from './env.js';

export function methodsCommand(program: Command, env: CommandEnv): void {
  program
    .command('methods')
    .description('List the unlearning methods available here: first-party, npm plugins (keyword "unlearn-plugin") and unlearn.config.json plugins')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: { json?: boolean }) => {
      const { out, io } = env;
      out.json = Boolean(flags.json);
      const catalog = await loadMethods(io.cwd);
      if (out.json) {
        out.result({ methods: catalog.methods, loads: catalog.loads });
        return;
      }
      if (catalog.methods.length === 0) out.line('No methods registered.');
      for (const m of catalog.methods) {
        out.line(`${m.name}${m.source ? `  (${m.source})` : ''}`);
        if (m.description) out.line(`  ${m.description}`);
        if (m.defaults && Object.keys(m.defaults).length) out.line(`  defaults: ${JSON.stringify(m.defaults)}`);
      }
      const failed = catalog.loads.filter((l) => !l.ok);
      if (failed.length) {
        out.line('');
        out.line('Could not load:');
        for (const f of failed) out.line(`  ${f.specifier} (${f.from}): ${f.error}`);
      }
    });
}
