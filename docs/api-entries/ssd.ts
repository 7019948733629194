/**
 * Selective Synaptic Dampening, its importances, the importance cache and the utility guard.
 *
 * @module @unlearn/ssd
 */
export * from '@unlearn/ssd';
