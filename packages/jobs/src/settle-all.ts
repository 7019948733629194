/**
 * Starts tasks under one signal, aborted by `outer` or by the first task that fails, and settles
 * only once every task has: it resolves with every value, or rejects with the first failure after
 * the others have stopped. A caller that disposes shared state (a driver's loaded model and data)
 * once this rejects must not race tasks still running on that state.
 */
export async function settleAll<T>(outer: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>[]): Promise<T[]> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer!.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (!failure) {
      failure = { error };
      controller.abort(error);
    }
  };
  try {
    const settled = await Promise.allSettled(
      start(controller.signal).map((task) =>
        task.catch((error: unknown) => {
          fail(error);
          throw error;
        }),
      ),
    );
    if (failure) throw failure.error;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  } finally {
    outer?.removeEventListener('abort', forward);
  }
}
