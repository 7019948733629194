/**
 * The conformance suite as vitest tests (`describeUnlearner`); vitest is needed only here.
 *
 * @module @unlearn/core/vitest
 */
export * from '@unlearn/core/vitest';
