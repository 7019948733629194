/**
 * The BullMQ driver and worker (needs the optional peers bullmq and ioredis).
 *
 * @module @unlearn/jobs/redis
 */
export * from '@unlearn/jobs/redis';
