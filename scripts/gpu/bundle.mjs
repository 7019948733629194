// Bundles scripts/gpu/check.ts and zoo-check.ts into .gpu/*.mjs (one file each, no node_modules needed on the
// GPU machine) and copies tfjs's wasm binaries beside it. Run: node scripts/gpu/bundle.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}.gpu`;
mkdirSync(out, { recursive: true });
await build({
  // check.mjs: backend, conformance and MNIST rows; zoo-check.mjs: the ResNet-18 / MobileNetV2 rows.
  entryPoints: {
    check: `${root}scripts/gpu/check.ts`,
    'zoo-check': `${root}scripts/gpu/zoo-check.ts`,
    'grad-diff': `${root}scripts/gpu/grad-diff.ts`,
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  outExtension: { '.js': '.mjs' },
  conditions: ['@unlearn/source'],
  // Loaded at run time from .gpu/node_modules: the Dawn binding and stubs for packages the
  // bundle already holds (core's backend loader imports them by name).
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  alias: { vitest: `${root}scripts/gpu/vitest-stub.ts` },
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
  logLevel: 'warning',
});
const wasmDir = `${root}node_modules/@tensorflow/tfjs-backend-wasm/dist`;
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(`${wasmDir}/${f}`, `${out}/${f}`);
const stubs = {
  '@tensorflow/tfjs-backend-wasm': 'export {};',
  '@tensorflow/tfjs-backend-cpu': 'export {};',
  '@tensorflow/tfjs-backend-webgpu': 'export const WebGPUBackend = globalThis.__unlearnWebGpuBackend.WebGPUBackend;',
};
for (const [pkg, body] of Object.entries(stubs)) {
  const dir = `${out}/node_modules/${pkg}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ name: pkg, type: 'module', main: 'index.js' }));
  writeFileSync(`${dir}/index.js`, `// the bundle holds the real package\n${body}\n`);
}
const dawn = `${out}/node_modules/webgpu`;
mkdirSync(`${dawn}/dist/linux-x64`, { recursive: true });
copyFileSync(`${root}scripts/gpu/webgpu-index.mjs`, `${dawn}/index.js`);
writeFileSync(`${dawn}/package.json`, JSON.stringify({ name: 'webgpu', type: 'module', main: 'index.js' }));
console.log(`bundled into ${out}`);
