/**
 * SalUn: saliency-masked random-label unlearning.
 *
 * @module @unlearn/salun
 */
export * from '@unlearn/salun';
