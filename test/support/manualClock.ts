// Timers that fire only when a test moves the clock, and a way to wait, without a wall clock, for
// the code under test to schedule the timer it is expected to.
import type { SetTimer } from '../../src/lib/engines/timer';

interface Pending {
  due: number;
  ms: number;
  callback: () => void;
}

export class ManualClock {
  now = 0;
  /** The length of every timer ever set, in order. */
  readonly scheduled: number[] = [];
  private nextId = 0;
  private readonly timers = new Map<number, Pending>();
  private readonly watchers: { check: () => boolean; resolve: () => void }[] = [];

  readonly setTimer: SetTimer = (callback, ms) => {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now + ms, ms, callback });
    this.scheduled.push(ms);
    this.notify();
    return () => {
      this.timers.delete(id);
    };
  };

  /** Lengths of the timers still waiting to fire. */
  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** How many timers of exactly `ms` have been set so far. */
  count(ms: number): number {
    return this.scheduled.filter((s) => s === ms).length;
  }

  /** Resolves once `check` holds; checked now and after every timer that is set. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ check, resolve }));
  }

  /** Moves time forward, firing what falls due in order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a[1].due - b[1].due)[0];
      if (!next || next[1].due > target) break;
      this.timers.delete(next[0]);
      this.now = next[1].due;
      next[1].callback();
    }
    this.now = target;
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) {
      if (!watcher.check()) continue;
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  }
}
