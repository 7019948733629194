// Measures what @unlearn/core (and @unlearn/jit) add to a browser app: esbuild bundles two
// minimal apps against the built packages (`npx turbo run build` first) as a browser bundler
// would (browser + import conditions, minified, tree-shaken) and reports bytes, gzip bytes and
// the share of each tfjs package. results.json keeps a before/after pair measured with it.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const apps = {
  core: `import { unlearn } from '@unlearn/core';\nglobalThis.run = unlearn;\n`,
  'core+jit': `import { unlearn } from '@unlearn/core';\nimport { jit } from '@unlearn/jit';\nglobalThis.run = (model, request) => unlearn(model, request, jit());\n`,
};

function packageOf(path) {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1];
  const workspace = /packages\/([^/]+)\//.exec(path);
  return workspace ? `@unlearn/${workspace[1]}` : 'other';
}

const results = {};
for (const [name, contents] of Object.entries(apps)) {
  const out = await build({
    stdin: { contents, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = out.outputFiles[0].contents;
  const byPackage = {};
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(out.metafile.outputs)[0].inputs)) {
    const pkg = packageOf(input);
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
  }
  results[name] = {
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    byPackage: Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1])),
  };
}
console.log(JSON.stringify({ tool: 'esbuild', options: 'bundle, minify, esm, platform browser', apps, results }, null, 2));
