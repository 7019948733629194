import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PKG = fileURLToPath(new URL('..', import.meta.url));

/** An `unlearn worker` process started by a test, with what it printed. */
export interface Worker {
  name: string;
  child: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

export function startWorker(name: string, redis: string, store: string): Worker {
  // Short lock and stall check, so a lost job is handed on within seconds (defaults: 60 s and 30 s).
  const child = spawn(
    process.execPath,
    ['--conditions=@unlearn/source', '--import', 'tsx', 'src/bin.ts', 'worker', '--queue', redis, '--store', store, '--name', name,
      '--lock-duration', '3000', '--stalled-interval', '1000', '--max-stalled', '5'],
    // Its own process group: a SIGKILL to the group takes the sandboxed job process too, as a machine going down would.
    { cwd: PKG, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const w: Worker = { name, child, stderr: '', exited: new Promise((done) => child.once('exit', () => done())) };
  child.stderr!.on('data', (d: Buffer) => (w.stderr += d.toString()));
  return w;
}

export const stopWorker = async (w: Worker) => {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGINT');
  const timer = setTimeout(() => process.kill(-w.child.pid!, 'SIGKILL'), 15_000);
  await w.exited;
  clearTimeout(timer);
};

