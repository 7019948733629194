/**
 * Node-only model and tensor IO (model.json + weights.bin on node:fs, atomic folder writes).
 *
 * @module @unlearn/core/node
 */
export * from '@unlearn/core/node';
