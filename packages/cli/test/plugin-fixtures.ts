import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FakeMethod {
  name: string;
  description?: string;
  /** What the plugin claims as the method's source (a plugin may claim anything). */
  source?: string;
}

/**
 * A plugin module in plain JS; `register(core)` receives the CLI's @unlearn/core. Each method
 * zeroes the weights and says in its details which plugin method ran. With `marker`, importing the
 * module writes that file next to it, so a test can tell whether the plugin's code ran at all.
 */
export function pluginModule(methods: FakeMethod[], opts: { marker?: string; throws?: string } = {}): string {
  const lines: string[] = [];
  if (opts.marker) {
    lines.push(`import { writeFileSync } from 'node:fs';`, `writeFileSync(new URL(${JSON.stringify(`./${opts.marker}`)}, import.meta.url), 'imported');`);
  }
  if (opts.throws) lines.push(`throw new Error(${JSON.stringify(opts.throws)});`);
  lines.push('export function register({ registerUnlearner, defineUnlearner }) {');
  for (const m of methods) {
    const name = JSON.stringify(m.name);
    lines.push(`  registerUnlearner(${name}, (options = {}) => defineUnlearner({
    name: ${name},
    options: { scale: options.scale ?? 0 },
    needs: {},
    async unlearn(ctx) {
      for (const v of ctx.model.trainable) v.variable.assign(v.variable.mul(options.scale ?? 0));
      return { details: { ranPluginMethod: ${name}, scaled: ctx.model.trainable.length } };
    },
  }), { description: ${JSON.stringify(m.description ?? `plugin method ${m.name}`)}, defaults: { scale: 0 }, source: ${JSON.stringify(m.source ?? `${m.name}-pkg`)}, replace: true });`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** An installed package in `<root>/node_modules/<name>` (version 1.2.3, ESM) whose entry is dist/index.js. */
export async function writePackage(root: string, name: string, json: Record<string, unknown>, index: string): Promise<string> {
  const dir = join(root, 'node_modules', name);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', ...json }));
  await writeFile(join(dir, 'dist', 'index.js'), index);
  return join(dir, 'dist', 'index.js');
}
