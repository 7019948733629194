/**
 * Amnesiac / random-label unlearning.
 *
 * @module @unlearn/amnesiac
 */
export * from '@unlearn/amnesiac';
