/**
 * Node-only benchmark helpers: on-disk retrain cache and report files.
 *
 * @module @unlearn/eval/node
 */
export * from '@unlearn/eval/node';
