/**
 * Node-only parts of SSD: importance files and worker-thread importance passes.
 *
 * @module @unlearn/ssd/node
 */
export * from '@unlearn/ssd/node';
