// One run at a time per browser profile: a lock held for the whole run, refused (not queued)
// when another tab holds it, so the user learns at once that a run is already going.

/** Lets the lock go; calling it twice is harmless. */
export type ReleaseLock = () => void;

export interface RunLock {
  /** The lock, or null when someone else holds it. Never waits. */
  tryAcquire(): Promise<ReleaseLock | null>;
  /** The lock once every holder and earlier waiter has let go. */
  acquire(): Promise<ReleaseLock>;
}

const RUN_LOCK_NAME = 'crescent-run';

/** The Web Locks API: shared by every tab and worker of the same origin and profile. */
function webRunLock(locks: LockManager, name: string = RUN_LOCK_NAME): RunLock {
  const request = (ifAvailable: boolean) =>
    new Promise<ReleaseLock | null>((resolve, reject) => {
      locks
        .request(name, { ifAvailable }, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          // The lock lives as long as this promise is pending.
          return new Promise<void>((release) => resolve(() => release()));
        })
        .catch(reject);
    });
  return {
    tryAcquire: () => request(true),
    acquire: async () => {
      const release = await request(false);
      // A waiting request is never answered with no lock.
      if (!release) throw new Error('Web Locks granted no lock to a waiting request.');
      return release;
    },
  };
}

/** A lock inside one JavaScript realm: for Node, and for contexts without Web Locks. */
export class MemoryRunLock implements RunLock {
  #held = false;
  readonly #waiting: ((release: ReleaseLock) => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  async tryAcquire(): Promise<ReleaseLock | null> {
    if (this.#held) return null;
    this.#held = true;
    return this.#releaser();
  }

  acquire(): Promise<ReleaseLock> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #releaser(): ReleaseLock {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Handed straight to the next waiter, as Web Locks does: no one can slip in between.
      const next = this.#waiting.shift();
      if (next) next(this.#releaser());
      else this.#held = false;
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

/** Like whileNoRunGoing, but waits for the run going on to end instead of giving up. */
export async function onceNoRunGoing<T>(lock: RunLock, work: () => Promise<T>): Promise<T> {
  const release = await lock.acquire();
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
