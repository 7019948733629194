import type { LayersModel } from '@tensorflow/tfjs-layers';

type Shape = (number | null)[];

const size = (shape: Shape) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

/**
 * Multiply-adds of one sample's forward pass: the convolutions and dense layers, which are
 * nearly all of a CNN's arithmetic (BatchNorm, ReLU, additions and pooling are element-wise,
 * well under 1% of it). The scaling bench divides per-sample times by this to compare models.
 */
export function forwardMacs(model: LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind !== 'Conv2D' && kind !== 'DepthwiseConv2D' && kind !== 'Dense') continue;
    const config = layer.getConfig() as {
      kernelSize?: number[] | number;
      depthMultiplier?: number;
    };
    const input = layer.inputSpec?.[0]?.shape ?? (layer.input as { shape: Shape }).shape;
    const output = layer.outputShape as Shape;
    const inChannels = input[input.length - 1]!;
    if (kind === 'Dense') {
      total += size(input.slice(1)) * output[output.length - 1]!;
      continue;
    }
    const k = Array.isArray(config.kernelSize) ? config.kernelSize : [config.kernelSize!, config.kernelSize!];
    const positions = size(output.slice(1, -1));
    // A depthwise kernel sees one input channel per output channel; a convolution sees all of them.
    total += kind === 'Conv2D' ? positions * k[0]! * k[1]! * inChannels * output[output.length - 1]! : positions * k[0]! * k[1]! * size(output.slice(-1));
  }
  return total;
}
