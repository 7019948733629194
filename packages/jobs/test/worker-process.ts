import { spawn, type ChildProcess } from 'node:child_process';

// Worker processes for the tests and scripts that run a real queue (the CLI's queue tests start
// `unlearn worker`, the speed-up script its own worker): started, watched and stopped one way.

/** A worker process, with what it printed on stderr so far. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

/**
 * Runs `node --conditions=@unlearn/source --import tsx <args>` (TypeScript sources, no build) in
 * its own process group: a SIGKILL to the group then takes its sandboxed job processes too, as a
 * machine going down would.
 */
export function spawnWorker(name: string, args: readonly string[], cwd?: string): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=@unlearn/source', '--import', 'tsx', ...args], {
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const w: WorkerProcess = { name, child, stderr: '', exited: new Promise((done) => child.once('exit', () => done())) };
  child.stderr!.on('data', (d: Buffer) => (w.stderr += d.toString()));
  return w;
}

const running = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;

/** Resolves once the worker has printed `text`; rejects, with what it printed, if it exits first. */
export function printed(w: WorkerProcess, text: string): Promise<void> {
  return new Promise((done, fail) => {
    const check = () => {
      if (!w.stderr.includes(text)) return false;
      w.child.stderr!.off('data', check);
      done();
      return true;
    };
    if (check()) return;
    w.child.stderr!.on('data', check);
    void w.exited.then(() => {
      if (!check()) fail(new Error(`worker ${w.name} exited (${w.child.exitCode ?? w.child.signalCode}) before printing "${text}": ${w.stderr}`));
    });
  });
}

/** SIGKILL to the worker's whole group, as a lost machine. */
export function killWorker(w: WorkerProcess): void {
  if (running(w)) process.kill(-w.child.pid!, 'SIGKILL');
}

/** Asks the worker to stop after the job in hand (SIGINT); kills its group if it takes longer than `graceMs`. */
export async function stopWorker(w: WorkerProcess, graceMs = 15_000): Promise<void> {
  if (!running(w)) return;
  w.child.kill('SIGINT');
  const timer = setTimeout(() => killWorker(w), graceMs);
  await w.exited;
  clearTimeout(timer);
}
