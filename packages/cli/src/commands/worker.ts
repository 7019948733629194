import { resolve } from 'node:path';
import type { Command } from 'commander';
import { jobsRedisApi, workerSetupUrl } from '../jobs-api.js';
import { loadMethods, reportPlugins } from '../methods.js';
import { usageError } from '../exit-codes.js';
import { parsePositiveInt } from './common.js';
import type { CommandEnv } from './env.js';

interface WorkerFlags {
  queue: string;
  store: string;
  queueName?: string;
  concurrency: string;
  sandbox: boolean;
  lockDuration?: string;
  stalledInterval?: string;
  maxStalled?: string;
  threads?: string;
  name?: string;
  allowPluginOverride: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function workerCommand(program: Command, env: CommandEnv): void {
  program
    .command('worker')
    .description('Run benchmark jobs from a Redis queue (filled by `unlearn bench --queue`) until Ctrl-C; start one on each machine')
    .requiredOption('--queue <url>', 'the Redis server, redis://[user:password@]host:port (rediss:// for TLS)')
    .requiredOption('--store <dir>', 'the shared folder the grid keeps models, data and results in (as this machine mounts it)')
    .option('--queue-name <name>', 'queue name, when one Redis server holds several grids', undefined)
    .option('--concurrency <n>', 'jobs at once: one per core or GPU this machine gives the grid', '1')
    .option('--no-sandbox', 'run jobs in this process instead of a child process (locks are then renewed only between tfjs steps)')
    .option('--lock-duration <ms>', 'a job whose lock is not renewed for this long is handed to another worker (default 60000)')
    .option('--stalled-interval <ms>', 'how often to look for jobs whose worker was lost (default 30000)')
    .option('--max-stalled <n>', 'times a job may lose its worker before it fails (default 3)')
    .option('--threads <n>', 'threads for each job\'s metric passes (default 1)')
    .option('--name <name>', 'worker name in logs and on each job (default host:pid)')
    .option('--allow-plugin-override <method>', "let a plugin's registration replace this first-party method (repeatable)", collect, [])
    .action(async (flags: WorkerFlags) => {
      const { out, io } = env;
      const concurrency = parsePositiveInt('--concurrency', flags.concurrency);
      // One process keeps one set of loaded inputs and one tfjs backend for its jobs.
      if (!flags.sandbox && concurrency > 1) throw usageError('--no-sandbox runs jobs in this process, one at a time: leave out --concurrency, or keep the sandbox');
      const jobs = await jobsRedisApi();
      const catalog = await loadMethods(io.cwd, { allowOverride: flags.allowPluginOverride });
      reportPlugins(out, catalog);
      const ms = (flag: string, v: string | undefined) => (v === undefined ? undefined : parsePositiveInt(flag, v));
      const options = {
        url: jobs.checkRedisUrl(flags.queue),
        store: resolve(io.cwd, flags.store),
        concurrency,
        sandbox: flags.sandbox,
        setup: workerSetupUrl(),
        setupArgs: { cwd: io.cwd, allowOverride: flags.allowPluginOverride },
        ...(flags.queueName ? { queue: flags.queueName } : {}),
        ...(flags.lockDuration ? { lockDuration: ms('--lock-duration', flags.lockDuration) } : {}),
        ...(flags.stalledInterval ? { stalledInterval: ms('--stalled-interval', flags.stalledInterval) } : {}),
        ...(flags.maxStalled ? { maxStalledCount: ms('--max-stalled', flags.maxStalled) } : {}),
        ...(flags.threads ? { threads: parsePositiveInt('--threads', flags.threads) } : {}),
        ...(flags.name ? { name: flags.name } : {}),
      };
      const worker = await jobs.startJobWorker({
        ...options,
        onEvent: (e) => {
          const what = e.label ? ` ${e.label}` : '';
          if (e.status === 'start') out.status(`job ${e.key.slice(0, 12)} start${what}`);
          else if (e.status === 'done') out.status(`job ${e.key.slice(0, 12)} ${e.ran ? 'done' : 'already in the store'}${what}`);
          else if (e.status === 'stalled') out.status(`job ${e.key.slice(0, 12)} stalled (its worker was lost): queued again`);
          else out.warn(`job ${e.key.slice(0, 12)} failed${what}: ${e.error}`);
        },
      });
      out.status(`worker ${worker.name}: waiting for jobs on ${jobs.redactUrl(flags.queue)} (store ${options.store}, ${options.concurrency} at a time${options.sandbox ? ', sandboxed' : ''}); Ctrl-C stops`);
      await new Promise<void>((done) => {
        if (io.signal?.aborted) done();
        io.signal?.addEventListener('abort', () => done(), { once: true });
      });
      out.status(`worker ${worker.name}: stopping after the jobs in hand`);
      await worker.close();
    });
}
