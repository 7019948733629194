import { siblingModule } from '@unlearn/core/node';
import { CliError } from './exit-codes.js';

export type JobsApi = typeof import('@unlearn/jobs');
export type JobsRedisApi = typeof import('@unlearn/jobs/redis');

const missing = (what: string, error: unknown) =>
  new CliError('usage', 'MISSING_PACKAGE', `${what}: ${(error as Error).message.split('\n')[0]}`, { cause: error });

/** @unlearn/jobs, loaded only by `bench --store/--queue` and `worker`. */
export async function jobsApi(): Promise<JobsApi> {
  try {
    return await import('@unlearn/jobs');
  } catch (error) {
    throw missing('This needs @unlearn/jobs, which failed to load', error);
  }
}

/** The Redis driver and worker, which need bullmq and ioredis (optional: only queue users install them). */
export async function jobsRedisApi(): Promise<JobsRedisApi> {
  let api: JobsRedisApi;
  try {
    api = await import('@unlearn/jobs/redis');
  } catch (error) {
    throw missing('This needs @unlearn/jobs, which failed to load', error);
  }
  try {
    await api.loadBullmq();
  } catch (error) {
    throw missing('The Redis queue is not available', error);
  }
  return api;
}

/**
 * The module each job process imports first to register methods. Resolved from this file, which
 * lies beside it both in src/ and, bundled, in dist/ (where worker-setup is an entry of its own).
 */
export function workerSetupUrl(): string {
  return siblingModule(import.meta.url, 'worker-setup').href;
}
