// Time as the engines see it: one injectable timer, so tests move the clock instead of waiting on it.
import type { AbortSignalLike } from '../crescent/types';

/** Runs callback after ms unless the returned function is called first. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export const systemTimer: SetTimer = (callback, ms) => {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
};

/** A wait that ends early, rejecting with abortedError(), when the signal aborts. */
export function sleepOn(
  setTimer: SetTimer,
  ms: number,
  signal: AbortSignalLike | undefined,
  abortedError: () => Error,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = (): void => {
      cancel();
      reject(abortedError());
    };
    const cancel = setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
