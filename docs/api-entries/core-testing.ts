/**
 * The conformance suite every unlearner runs, and the tiny models and data it uses.
 *
 * @module @unlearn/core/testing
 */
export * from '@unlearn/core/testing';
