/**
 * Node-only checkpoint storage for resumable retraining.
 *
 * @module @unlearn/retrain/node
 */
export * from '@unlearn/retrain/node';
