import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels a training step runs, forward and backward, per common layer, loss and optimizer.
 * Recorded with tf.profile around tf.variableGrads on the cpu backend, tfjs 4.22, with the
 * layer input as a variable too (in a deep net every layer's input gradient is needed).
 * Kernels that only appear in a gradient are the ones a backend is likely to lack.
 */
export const TRAINING_KERNELS: Readonly<Record<string, readonly string[]>> = {
  conv2d: ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Relu', 'Step', 'Sum'],
  conv2dTranspose: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  depthwiseConv2d: [
    'DepthwiseConv2dNative',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
  ],
  conv3d: ['Conv3D', 'Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2'],
  maxPooling2d: ['MaxPool', 'MaxPoolGrad'],
  averagePooling2d: ['AvgPool', 'AvgPoolGrad'],
  globalPooling2d: ['Mean', 'RealDiv', 'Max', 'Equal'],
  dense: ['BatchMatMul', '_FusedMatMul', 'Relu', 'Step', 'Sigmoid', 'Tanh', 'Square', 'Sub', 'Sum'],
  batchNormalization: ['FusedBatchNorm', 'Mean', 'Neg', 'RealDiv', 'Rsqrt', 'Square', 'Sub', 'Sum', 'Tile'],
  layerNormalization: ['FusedBatchNorm', 'Slice', 'ZerosLike', 'Rsqrt', 'Tile'],
  dropout: ['Floor', 'Multiply', 'RealDiv'],
  flatten: ['Reshape'],
  embedding: ['GatherV2', 'UnsortedSegmentSum', 'Transpose'],
  upSampling2d: ['ResizeNearestNeighbor', 'ResizeNearestNeighborGrad'],
  zeroPadding2d: ['PadV2', 'Slice'],
  activations: ['LeakyRelu', 'Greater', 'Select', 'Elu', 'EluGrad', 'Softmax'],
  // tfjs-layers' relu6 is minimum(relu(x), 6), not the Relu6 kernel; gelu is the erf form.
  relu6: ['Minimum', 'Relu', 'Greater', 'Step', 'Cast', 'Multiply'],
  gelu: ['Erf', 'Exp', 'Square', 'Neg', 'RealDiv', 'Multiply', 'Add'],
  add: ['Add'],
  permute: ['Transpose'],
  softmaxCrossEntropy: ['Exp', 'Log', 'Max', 'Neg', 'RealDiv', 'Sub', 'Sum'],
  categoricalCrossentropy: ['ClipByValue', 'GreaterEqual', 'LessEqual', 'LogicalAnd', 'Log', 'Select', 'Softmax'],
  sigmoidCrossEntropy: ['Abs', 'Exp', 'Log1p', 'Relu', 'Step'],
  meanSquaredError: ['SquaredDifference', 'RealDiv'],
  optimizers: ['Add', 'Cast', 'Identity', 'Multiply', 'RealDiv', 'Sqrt', 'Square', 'Sub', 'ZerosLike'],
};

/** Training kernels (see TRAINING_KERNELS) that `backendName` has no kernel for, sorted. */
export function missingWasmGradientKernels(backendName = 'wasm'): string[] {
  const have = new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
  const need = new Set(Object.values(TRAINING_KERNELS).flat());
  return [...need].filter((k) => !have.has(k)).sort();
}
