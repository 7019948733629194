// Starts a worker from TypeScript sources (tests, tsx scripts): Node 20 does not
// apply `--import tsx` given in a Worker's execArgv, so the loader is registered here first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
