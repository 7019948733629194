// The sandboxed processor: BullMQ forks a child process that imports this file and runs each job
// here, so the worker's own event loop stays free to renew job locks while tfjs keeps a core busy
// (a blocked loop would let the lock lapse and the job be handed to another worker meanwhile).
import type { SandboxedJob } from 'bullmq';
import { CONFIG_ENV, type JobData, type JobReturn } from './bullmq.js';
import { processJob, type ProcessConfig } from './process-job.js';

// The worker process went away (killed, machine lost): a job here can no longer be reported, and
// the queue hands it to another worker after its lock lapses, so stop instead of running on.
process.on('disconnect', () => process.exit(1));

export default async function processor(job: SandboxedJob<JobData, JobReturn>): Promise<JobReturn> {
  const config = JSON.parse(process.env[CONFIG_ENV] ?? '{}') as ProcessConfig;
  return processJob(job.data, config);
}
