import { fileURLToPath } from 'node:url';
import { UnlearnError } from '@unlearn/core';
import { siblingModule } from '@unlearn/core/node';
import { jobLabel } from '../spec.js';
import { folderStore } from '../store.js';
import { CONFIG_ENV, DEFAULT_QUEUE, checkRedisUrl, loadBullmq, type JobData, type JobReturn } from './bullmq.js';
import { defaultWorkerName, processJob, type ProcessConfig } from './process-job.js';

export interface JobWorkerOptions {
  /** redis://host:port of the queue's Redis server. */
  url: string;
  queue?: string;
  /** The shared store folder as this machine mounts it. */
  store: string;
  /** Jobs at once: one per CPU core or GPU this machine gives the grid (default 1). */
  concurrency?: number;
  /**
   * Run jobs in child processes (default true): tfjs keeps the event loop busy for seconds at a
   * time, and a worker whose loop is blocked cannot renew its job locks. Without the sandbox,
   * `concurrency` must be 1: jobs in one process share its loaded inputs and tfjs backend.
   */
  sandbox?: boolean;
  /**
   * A job whose lock is not renewed for this long is taken to be lost with its worker (default
   * 60 s); the lock is renewed every half of it while the job runs, however long the job takes.
   */
  lockDuration?: number;
  /** How often this worker looks for lost jobs (default 30 s). */
  stalledInterval?: number;
  /** Times a job may be lost (worker killed) and handed to another before it fails (default 3). */
  maxStalledCount?: number;
  /** Module imported once by each process that runs jobs, before its first job: registers the methods. */
  setup?: string;
  /** JSON-safe argument passed to the setup module's default export. */
  setupArgs?: unknown;
  /** Threads for each job's metric passes (default 1: a worker slot is one core). */
  threads?: number;
  /** Shown in logs and stored on each job (default host:pid). */
  name?: string;
  onEvent?: (event: { status: 'start' | 'done' | 'failed' | 'stalled'; key: string; label?: string; error?: string; ran?: boolean }) => void;
}

export interface JobWorker {
  readonly name: string;
  /** Stops taking jobs, waits for those running, then disconnects. */
  close(): Promise<void>;
}

/** Starts a BullMQ worker that takes grid jobs from the queue and writes their results to the store. */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const sandbox = options.sandbox !== false;
  const concurrency = options.concurrency ?? 1;
  if (!sandbox && concurrency > 1) {
    // One process keeps one set of inputs and one tfjs backend: a second job would dispose the
    // model and data the first is using, or switch the backend under it.
    throw new UnlearnError('INVALID_OPTION', `jobs: a worker without the sandbox runs one job at a time (got concurrency ${concurrency}); keep the sandbox to run several`);
  }
  const { Worker } = await loadBullmq();
  const url = checkRedisUrl(options.url);
  const name = options.name ?? defaultWorkerName();
  const config: ProcessConfig = {
    store: folderStore(options.store).root,
    worker: name,
    ...(options.setup ? { setup: options.setup } : {}),
    ...(options.setupArgs !== undefined ? { setupArgs: options.setupArgs } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  };
  const processor = sandbox
    ? fileURLToPath(siblingModule(import.meta.url, 'processor'))
    : (job: { data: JobData }) => processJob(job.data, config);
  const worker = new Worker<JobData, JobReturn>(options.queue ?? DEFAULT_QUEUE, processor, {
    connection: { url },
    name,
    concurrency,
    // Started below, once the connection works: a Worker whose connection failed to start can be
    // closed only if it never ran.
    autorun: false,
    lockDuration: options.lockDuration ?? 60_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
    ...(sandbox ? { workerForkOptions: { env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) } } } : {}),
  });
  const label = (data: JobData | undefined) => (data ? jobLabel(data.spec) : undefined);
  worker.on('active', (job) => options.onEvent?.({ status: 'start', key: job.id!, label: label(job.data) }));
  worker.on('completed', (job, value) => options.onEvent?.({ status: 'done', key: job.id!, label: label(job.data), ran: value.ran }));
  worker.on('failed', (job, error) => options.onEvent?.({ status: 'failed', key: job?.id ?? '?', label: label(job?.data), error: error.message }));
  worker.on('stalled', (key) => options.onEvent?.({ status: 'stalled', key }));
  // BullMQ reports connection trouble here; without a listener Node would treat it as fatal.
  worker.on('error', (error) => options.onEvent?.({ status: 'failed', key: '-', error: error.message }));
  try {
    await worker.waitUntilReady();
  } catch (error) {
    await worker.close().catch(() => undefined);
    throw error;
  }
  worker.run().catch((error: Error) => options.onEvent?.({ status: 'failed', key: '-', error: error.message }));
  return { name, close: () => worker.close() };
}
