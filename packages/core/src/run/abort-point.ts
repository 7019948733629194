import { abortError } from '../errors.js';

/**
 * Resolves on a later turn of the event loop, after pending timers and events. Awaiting a resolved
 * promise is not enough: on synchronous backends (cpu, wasm) a run never reaches the event loop
 * otherwise, so `AbortSignal.timeout()` or a UI's abort() could not fire until the run ended.
 */
export function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  // Browsers: a message is a task like a timer's, without setTimeout's 4 ms clamp when nested.
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A place where a long run may stop: gives the event loop a turn, so an abort scheduled by a timer
 * or an event can fire, then throws `ABORTED` if the signal did. Call it between units of work
 * (batches, chunks of forwards), so that the latency of an abort is about one unit.
 */
export async function abortPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  if (signal.aborted) throw abortError(signal.reason);
  await nextTurn();
  if (signal.aborted) throw abortError(signal.reason);
}
