import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { FIRST_PARTY } from './plugins.js';

const require = createRequire(import.meta.url);

function versionOf(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** This package's version; src/ and dist/ both sit one folder below package.json. */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Versions that identify the software which produced a model: tfjs and every @unlearn package. */
export function softwareVersions(extra: Record<string, string | undefined> = {}): { tfjs: string; packages: Record<string, string> } {
  const packages: Record<string, string> = { '@unlearn/cli': cliVersion() };
  for (const name of ['@unlearn/core', ...FIRST_PARTY, '@unlearn/eval']) {
    const v = versionOf(name);
    if (v) packages[name] = v;
  }
  for (const [name, v] of Object.entries(extra)) if (v) packages[name] = v;
  return { tfjs: tf.version_core, packages };
}
