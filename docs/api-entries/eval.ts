/**
 * Scenarios, metrics, the benchmark runner and report writers.
 *
 * @module @unlearn/eval
 */
export * from '@unlearn/eval';
