import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `entry` names, given as the URL of its `.ts` source
 * (tests and tsx scripts run the sources) or of its built `.js`/`.cjs` file. The worker is
 * unref'd: an idle one never holds the process open.
 */
export function startWorker(entry: URL): Worker {
  const worker = entry.pathname.endsWith('.ts')
    ? new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), {
        workerData: { entry: entry.href },
        execArgv: ['--conditions=@unlearn/source'],
      })
    : new Worker(entry);
  worker.unref();
  return worker;
}

/** The URL of the sibling module `name` of `here` (an import.meta.url), with `here`'s extension. */
export function siblingModule(here: string, name: string): URL {
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  return new URL(`./${name}${ext}`, here);
}
