/**
 * NegGrad+: fine-tuning on β·CE(retain) − (1 − β)·CE(forget); plain NegGrad with `forgetWeight: 1`.
 *
 * @module @unlearn/neggrad-plus
 */
export * from '@unlearn/neggrad-plus';
