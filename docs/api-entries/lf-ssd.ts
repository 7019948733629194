/**
 * Loss-free (label-free) SSD.
 *
 * @module @unlearn/lf-ssd
 */
export * from '@unlearn/lf-ssd';
