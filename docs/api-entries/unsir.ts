/**
 * UNSIR: class unlearning with learned error-maximising noise, one impair and one repair epoch.
 *
 * @module @unlearn/unsir
 */
export * from '@unlearn/unsir';
