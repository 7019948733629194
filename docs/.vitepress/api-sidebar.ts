import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const scopeDir = fileURLToPath(new URL('../api/@unlearn/', import.meta.url));
const KIND_FOLDERS = new Set(['classes', 'functions', 'interfaces', 'type-aliases', 'variables', 'enumerations', 'namespaces']);

const subfolders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !KIND_FOLDERS.has(d.name) && existsSync(`${dir}/${d.name}/index.md`))
    .map((d) => d.name)
    .sort();

/** One entry per module page typedoc wrote into docs/api (generated at build time, not committed). */
export function apiSidebar() {
  const modules = existsSync(scopeDir)
    ? subfolders(scopeDir).flatMap((pkg) => [pkg, ...subfolders(`${scopeDir}${pkg}`).map((sub) => `${pkg}/${sub}`)])
    : [];
  return [
    {
      text: 'API reference',
      items: [{ text: 'Overview', link: '/api/' }, ...modules.map((m) => ({ text: `@unlearn/${m}`, link: `/api/@unlearn/${m}/` }))],
    },
  ];
}
