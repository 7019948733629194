// One worker process of the speed-up script (what `unlearn worker` is, without the CLI, which
// depends on this package). Ends on SIGINT or SIGTERM after the job in hand.
import { parseArgs } from 'node:util';
import { startJobWorker } from '../src/redis/index.js';

const { values } = parseArgs({ options: { queue: { type: 'string' }, 'queue-name': { type: 'string' }, store: { type: 'string' }, name: { type: 'string' } } });
const worker = await startJobWorker({
  url: values.queue!,
  queue: values['queue-name']!,
  store: values.store!,
  name: values.name!,
  setup: new URL('./grid-methods.ts', import.meta.url).href,
  onEvent: (e) => process.stderr.write(`${values.name}: ${e.status} ${e.key.slice(0, 12)} ${e.label ?? ''}${e.error ? ` ${e.error}` : ''}\n`),
});
process.stderr.write(`${worker.name}: ready\n`);
const stop = () => void worker.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
