/**
 * JiT: zero-shot Lipschitz smoothing at the forget inputs.
 *
 * @module @unlearn/jit
 */
export * from '@unlearn/jit';
