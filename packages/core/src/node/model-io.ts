import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UnlearnError } from '../errors.js';
import { graphModelError } from '../model/graph-model.js';
import { fileInsideFolder } from './inside-folder.js';
import { writeDirAtomically } from './atomic-dir.js';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** Resolves a path that may name the folder or its model.json. */
function modelPaths(path: string): { dir: string; json: string } {
  const full = resolve(path);
  return full.endsWith('.json') ? { dir: dirname(full), json: full } : { dir: full, json: join(full, MODEL_FILE) };
}

/** An IOHandler that saves into `dir` (model.json + weights.bin), atomically. */
export function fileSystemSaver(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weightData = artifacts.weightData;
      const bytes = weightData === undefined ? new Uint8Array(0) : toBytes(weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeDirAtomically(dir, async (tmp) => {
        await writeFile(join(tmp, WEIGHTS_FILE), bytes);
        await writeFile(join(tmp, MODEL_FILE), JSON.stringify(modelJson));
      });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: bytes.byteLength,
        },
      };
    },
  };
}

function toBytes(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** An IOHandler that loads model.json and its weight files, checking sizes before tfjs sees them. */
export function fileSystemLoader(path: string): tf.io.IOHandler {
  const { dir, json } = modelPaths(path);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await readFile(json, 'utf8');
      } catch (error) {
        throw new UnlearnError('CORRUPT_FILE', `Cannot read model file ${json}: ${(error as Error).message}`, { cause: error });
      }
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(text) as tf.io.ModelJSON;
      } catch (error) {
        throw new UnlearnError('CORRUPT_FILE', `${json} is not valid JSON (truncated or corrupted?): ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (!isObject(modelJson) || !isObject(modelJson.modelTopology) || !Array.isArray(modelJson.weightsManifest)) {
        throw new UnlearnError('CORRUPT_FILE', `${json} is not a tfjs layers model (missing modelTopology or weightsManifest)`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      const names = new Set<string>();
      for (const group of modelJson.weightsManifest as unknown[]) {
        if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
          throw new UnlearnError('CORRUPT_FILE', `${json}: every weightsManifest entry needs "paths" and "weights" arrays`);
        }
        const expected = group.weights.reduce((n: number, w) => n + weightBytes(w, names, json), 0);
        const chunks: Uint8Array[] = [];
        for (const p of group.paths) {
          const file = await fileInsideFolder(dir, p, `${json} weightsManifest path`);
          try {
            chunks.push(await readFile(file));
          } catch (error) {
            throw new UnlearnError('CORRUPT_FILE', `Cannot read weights file ${file}: ${(error as Error).message}`, { cause: error });
          }
        }
        const got = chunks.reduce((n, c) => n + c.byteLength, 0);
        if (got !== expected) {
          throw new UnlearnError(
            'CORRUPT_FILE',
            `Weights in ${dir} have ${got} bytes but model.json describes ${expected} (truncated or from another model?)`,
          );
        }
        specs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
        buffers.push(...chunks);
      }
      const weightData = toBytes(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        trainingConfig: modelJson.trainingConfig,
        userDefinedMetadata: modelJson.userDefinedMetadata,
        weightSpecs: specs,
        weightData: weightData.buffer as ArrayBuffer,
      };
    },
  };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Bytes one manifest entry takes, after checking what tfjs would otherwise trip over: a negative or
 * fractional dimension can make the byte total match a short file, and a repeated name makes tfjs
 * decode a tensor it then drops without disposing.
 */
function weightBytes(spec: unknown, names: Set<string>, json: string): number {
  const bad = (why: string) => new UnlearnError('CORRUPT_FILE', `${json}: weightsManifest entry ${why}`);
  if (!isObject(spec) || typeof spec.name !== 'string') throw bad('without a "name"');
  const name = JSON.stringify(spec.name.slice(0, 80));
  if (names.has(spec.name)) throw bad(`${name} appears twice`);
  names.add(spec.name);
  const { shape, quantization } = spec;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw bad(`${name} has a shape that is not a list of non-negative integers`);
  }
  if (quantization !== undefined && !isObject(quantization)) throw bad(`${name} has an unreadable "quantization"`);
  const dtype = quantization?.dtype ?? spec.dtype;
  const per = typeof dtype === 'string' && Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
  if (per === undefined) {
    throw new UnlearnError('CORRUPT_FILE', `Unsupported weight dtype ${typeof dtype === 'string' ? `"${dtype.slice(0, 40)}"` : typeof dtype} for ${name}`);
  }
  return (shape as number[]).reduce((a, b) => a * b, 1) * per;
}

/** Saves a LayersModel as model.json + weights.bin in `dir`, replacing it atomically. */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemSaver(resolve(dir)));
}

/** Loads a LayersModel saved by `saveModel` (or by tfjs's own converters) from a folder or model.json path. */
export async function loadModel(path: string): Promise<LayersModel> {
  const { json } = modelPaths(path);
  try {
    await stat(json);
  } catch {
    throw new UnlearnError('CORRUPT_FILE', `No model at ${json}`);
  }
  const files = fileSystemLoader(path);
  // tfjs-layers would report a graph model as a missing class name; say what it is and the fix.
  const layersOnly: tf.io.IOHandler = {
    async load() {
      const artifacts = await files.load!();
      const topology = artifacts.modelTopology as { node?: unknown } | undefined;
      if (artifacts.format === 'graph-model' || Array.isArray(topology?.node)) throw graphModelError(json);
      return artifacts;
    },
  };
  try {
    // Every file is read and checked first, so the engine scope below spans no file I/O.
    const artifacts = await layersOnly.load!();
    return await disposingOnFailure(() => tfl.loadLayersModel({ load: async () => artifacts }));
  } catch (error) {
    if (error instanceof UnlearnError) throw error;
    throw new UnlearnError('CORRUPT_FILE', `Cannot load the model at ${json}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * tfjs-layers builds layers (variables) and decodes weights (tensors) before it finds that a later
 * layer config, a weight name or a shape does not fit, then throws with the half-built model out of
 * reach: each corrupt file would leak a model's worth of memory. Tensors made meanwhile are collected
 * in an engine scope and new variables are found in the engine's registry; both are disposed only when
 * the load fails. A successful load keeps everything, so it behaves as before.
 */
async function disposingOnFailure<T>(load: () => Promise<T>): Promise<T> {
  const engine = tf.engine();
  const variables = new Set(Object.values(engine.registeredVariables));
  engine.startScope('unlearn.loadModel');
  const scope = engine.state.activeScope;
  let result: T;
  try {
    result = await load();
  } catch (error) {
    engine.endScope();
    for (const v of Object.values(engine.registeredVariables)) if (!variables.has(v)) v.dispose();
    throw error;
  }
  engine.endScope(scope.track);
  return result;
}
