// Minimal stand-in for the npm package `webgpu` on the GPU machine: loads Dawn's Node binding
// (carried compressed as .gpu/dawn.node.xz and unpacked by gpu-check.sh).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { create, globals } = require(join(here, 'dist', 'linux-x64', 'dawn.node'));
export { create, globals };
