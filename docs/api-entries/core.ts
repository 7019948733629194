/**
 * The Unlearner contract, the runner, the plugin registry, data checks, model adapters, weights, gradients and randomness.
 *
 * @module @unlearn/core
 */
export * from '@unlearn/core';
