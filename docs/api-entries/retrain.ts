/**
 * Retraining and finetuning baselines, seeded and resumable.
 *
 * @module @unlearn/retrain
 */
export * from '@unlearn/retrain';
