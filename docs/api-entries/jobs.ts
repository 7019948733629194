/**
 * The benchmark grid as content-addressed jobs: job descriptions and keys, the shared store, the
 * embedded driver and `runGrid`.
 *
 * @module @unlearn/jobs
 */
export * from '@unlearn/jobs';
