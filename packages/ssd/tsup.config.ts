import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

const entry = { index: 'src/index.ts', 'node/index': 'src/node/index.ts' };

export default defineConfig(packageBuild({ entry, dts: { entry }, external: [/^@tensorflow\//, /^@unlearn\//] }));
