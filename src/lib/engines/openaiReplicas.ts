// Several servers of the same model as one engine. A request waits for a free slot anywhere, then
// goes to the replica with the most free slots; a replica that fails is set aside for a while and
// its requests go to the others, so the run sees a failure only when every replica fails.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike } from '../crescent/types';
import { TaskQueue } from './taskQueue';

/** How long a failing replica gets no new requests, unless one of its requests succeeds first. */
export const SET_ASIDE_MS = 30_000;

export interface ReplicaOptions {
  /** Requests in flight at once on each replica. */
  perReplica: number;
  /** Milliseconds, for the set-aside; injected by tests. */
  clock?: () => number;
  setAsideMs?: number;
}

interface Replica {
  readonly baseUrl: string;
  busy: number;
  /** Clock time before which it gets no new request; 0 when it is in use. */
  asideUntil: number;
}

type Attempt<T> = { done: true; value: T } | { done: false };

/** The replica itself failed (unreachable, 5xx or 429 after its retries), not this one request. */
function isReplicaFailure(error: unknown): boolean {
  return error instanceof CrescentError && error.retryable && !error.perRequest;
}

/** The base URLs without repeats; a trailing slash does not make a URL another replica. */
export function distinctUrls(urls: readonly string[]): string[] {
  const seen = new Set<string>();
  return urls.filter((url) => {
    const key = url.trim().replace(/\/+$/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export class ReplicaPool {
  /** Requests in flight at once over all replicas. */
  readonly concurrency: number;
  private readonly replicas: Replica[];
  private readonly perReplica: number;
  private readonly clock: () => number;
  private readonly setAsideMs: number;
  private readonly queue: TaskQueue;

  constructor(baseUrls: readonly string[], options: ReplicaOptions) {
    const urls = distinctUrls(baseUrls);
    if (urls.length === 0) throw new RangeError('A replica pool needs at least one base URL');
    this.replicas = urls.map((baseUrl) => ({ baseUrl, busy: 0, asideUntil: 0 }));
    this.perReplica = options.perReplica;
    this.concurrency = options.perReplica * urls.length;
    this.clock = options.clock ?? Date.now;
    this.setAsideMs = options.setAsideMs ?? SET_ASIDE_MS;
    this.queue = new TaskQueue(this.concurrency);
  }

  /** Runs the request on one replica, moving it to another when that replica fails. */
  async run<T>(task: (baseUrl: string) => Promise<T>, signal?: AbortSignalLike): Promise<T> {
    this.fit();
    for (let moves = 0; ; moves++) {
      const mayMove = moves < this.replicas.length - 1;
      // A moved request goes ahead of those that have not been tried yet.
      const outcome: Attempt<T> = await this.queue.run(() => this.attempt(task, mayMove), signal, {
        priority: moves > 0 ? 1 : 0,
      });
      if (outcome.done) return outcome.value;
    }
  }

  private async attempt<T>(
    task: (baseUrl: string) => Promise<T>,
    mayMove: boolean,
  ): Promise<Attempt<T>> {
    const replica = this.pick();
    replica.busy++;
    try {
      const value = await task(replica.baseUrl);
      replica.asideUntil = 0;
      return { done: true, value };
    } catch (error) {
      if (!isReplicaFailure(error)) throw error;
      replica.asideUntil = this.clock() + this.setAsideMs;
      this.fit();
      if (mayMove && this.replicas.some((r) => r.asideUntil <= this.clock()))
        return { done: false };
      throw error;
    } finally {
      replica.busy--;
      this.fit();
    }
  }

  /** The replicas that take new requests; with every one set aside, the one due back first. */
  private open(): Replica[] {
    const now = this.clock();
    const open = this.replicas.filter((r) => r.asideUntil <= now);
    if (open.length > 0) return open;
    // Not refused without asking anyone: a replica may be back before its time is up.
    const first = this.replicas.reduce((soonest, r) =>
      r.asideUntil < soonest.asideUntil ? r : soonest,
    );
    return [first];
  }

  /** The open replica with the most free slots, the first on a tie. */
  private pick(): Replica {
    return this.open().reduce((best, r) => (r.busy < best.busy ? r : best));
  }

  /**
   * The slots a request may start in: every open replica's, plus those still taken on replicas set
   * aside. So a request starts only when an open replica has a free slot, and requests stuck on a
   * failing replica do not keep the others from their own limit. Called whenever a request ends
   * or a replica is set aside; a replica coming back is noticed at the next request's start or end.
   */
  private fit(): void {
    const open = new Set(this.open());
    const stuck = this.replicas.filter((r) => !open.has(r)).reduce((sum, r) => sum + r.busy, 0);
    this.queue.concurrency = this.perReplica * open.size + stuck;
  }
}
