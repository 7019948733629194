/**
 * The Unlearner contract, the runner, the plugin registry, data, model adapters and the tensor layer.
 *
 * @module @unlearn/core
 */
export * from '@unlearn/core';
