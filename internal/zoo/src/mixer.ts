import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { initWeights } from './init.js';
import { CIFAR_SHAPE, PLACEHOLDER, type ZooOptions } from './layers.js';

export interface MixerOptions extends ZooOptions {
  /** Side of the square patches, which must divide the image sides (default 4: 64 tokens at 32x32). */
  patchSize?: number;
  /** Channels of every token (default 128). */
  hiddenDim?: number;
  /** Hidden units of the token-mixing MLP (default 64). */
  tokensMlpDim?: number;
  /** Hidden units of the channel-mixing MLP (default 512). */
  channelsMlpDim?: number;
  /** Mixer blocks (default 4). */
  depth?: number;
}

const layerNorm = (x: SymbolicTensor) => tfl.layers.layerNormalization({ epsilon: 1e-5 }).apply(x) as SymbolicTensor;
const dense = (x: SymbolicTensor, units: number, activation?: 'gelu') =>
  tfl.layers.dense({ units, kernelInitializer: PLACEHOLDER, ...(activation ? { activation } : {}) }).apply(x) as SymbolicTensor;
const add = (a: SymbolicTensor, b: SymbolicTensor) => tfl.layers.add().apply([a, b]) as SymbolicTensor;
const swapTokensAndChannels = (x: SymbolicTensor) => tfl.layers.permute({ dims: [2, 1] }).apply(x) as SymbolicTensor;

function mlp(x: SymbolicTensor, hidden: number, out: number): SymbolicTensor {
  return dense(dense(x, hidden, 'gelu'), out);
}

/**
 * An MLP-Mixer (Tolstikhin et al. 2021) sized for 32x32 inputs: a patch embedding (a convolution
 * with kernel = stride = patch), `depth` blocks of pre-LayerNorm token mixing (an MLP across
 * patches, on the transposed token matrix) and channel mixing (an MLP per patch), each with a
 * skip connection, then LayerNorm, average over tokens and a dense softmax classifier. GELU is
 * the exact (erf) one, as in PyTorch's default. The defaults give 569,994 trainable parameters.
 */
export function buildMlpMixer(options: MixerOptions = {}): LayersModel {
  const [height, width, channels] = options.inputShape ?? CIFAR_SHAPE;
  const patch = options.patchSize ?? 4;
  if (height % patch !== 0 || width % patch !== 0) throw new RangeError(`patchSize ${patch} must divide the input sides ${height}x${width}`);
  const hidden = options.hiddenDim ?? 128;
  const tokens = (height / patch) * (width / patch);
  const input = tfl.input({ shape: [height, width, channels] });
  const patches = tfl.layers.conv2d({ filters: hidden, kernelSize: patch, strides: patch, kernelInitializer: PLACEHOLDER }).apply(input) as SymbolicTensor;
  let x = tfl.layers.reshape({ targetShape: [tokens, hidden] }).apply(patches) as SymbolicTensor;
  for (let d = 0; d < (options.depth ?? 4); d++) {
    const mixedTokens = swapTokensAndChannels(mlp(swapTokensAndChannels(layerNorm(x)), options.tokensMlpDim ?? 64, tokens));
    x = add(x, mixedTokens);
    x = add(x, mlp(layerNorm(x), options.channelsMlpDim ?? 512, hidden));
  }
  const pooled = tfl.layers.globalAveragePooling1d({}).apply(layerNorm(x)) as SymbolicTensor;
  const output = tfl.layers.dense({ units: options.numClasses ?? 10, activation: 'softmax', kernelInitializer: PLACEHOLDER }).apply(pooled) as SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output, name: 'mlp_mixer' });
  initWeights(model, options.seed ?? 1);
  return model;
}
