// One run at a time per browser profile: a lock held for the whole run, refused (not queued)
// when another tab holds it, so the user learns at once that a run is already going.

/** Lets the lock go; calling it twice is harmless. */
export type ReleaseLock = () => void;

export interface RunLock {
  /** The lock, or null when someone else holds it. Never waits. */
  tryAcquire(): Promise<ReleaseLock | null>;
}

export const RUN_LOCK_NAME = 'crescent-run';

/** The Web Locks API: shared by every tab and worker of the same origin and profile. */
export function webRunLock(locks: LockManager, name: string = RUN_LOCK_NAME): RunLock {
  return {
    tryAcquire: () =>
      new Promise<ReleaseLock | null>((resolve, reject) => {
        locks
          .request(name, { ifAvailable: true }, (lock) => {
            if (!lock) {
              resolve(null);
              return undefined;
            }
            // The lock lives as long as this promise is pending.
            return new Promise<void>((release) => resolve(() => release()));
          })
          .catch(reject);
      }),
  };
}

/** A lock inside one JavaScript realm: for Node, and for contexts without Web Locks. */
export class MemoryRunLock implements RunLock {
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  async tryAcquire(): Promise<ReleaseLock | null> {
    if (this.#held) return null;
    this.#held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held = false;
    };
  }
}

/**
 * Runs `work` holding the lock, or returns null at once when a run holds it. For anything that
 * must not happen while a run goes on in some tab, such as marking left-over runs 'interrupted'.
 */
export async function whileNoRunGoing<T>(lock: RunLock, work: () => Promise<T>): Promise<T | null> {
  const release = await lock.tryAcquire();
  if (!release) return null;
  try {
    return await work();
  } finally {
    release();
  }
}

/** Web Locks where the context has them (secure contexts), else a lock for this worker alone. */
export function defaultRunLock(): RunLock {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? webRunLock(locks) : new MemoryRunLock();
}
