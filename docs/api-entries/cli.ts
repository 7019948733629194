/**
 * The unlearn command's program, plugin discovery and deletion records, for use in-process.
 *
 * @module @unlearn/cli
 */
export * from '@unlearn/cli';
