// Notices a model download that stopped moving. A server can accept the connection and then send
// nothing; web-llm waits on it forever. Its init reports are the only sign of life it gives, so a
// long silence while downloading is read as a stall.
import { CrescentError } from '../crescent/errors';
import { systemTimer, type SetTimer } from './timer';

/**
 * web-llm reports a download only as whole weight shards land (up to 32 MB each, four fetched at
 * once), so the first report can take 128 MB of transfer: five minutes covers links down to about
 * 0.5 MB/s before a quiet download is called stalled.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 300_000;

function stallError(timeoutMs: number): CrescentError {
  return new CrescentError({
    code: 'download-failed',
    message: `The model download stalled: nothing arrived for ${duration(timeoutMs)}.`,
    action: 'Check your connection and retry; what was downloaded is kept in the browser cache.',
    retryable: true,
  });
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** `stalled` rejects once arm() has not been called again for timeoutMs; stop() ends the watch. */
export class StallWatchdog {
  readonly stalled: Promise<never>;
  private fired = false;
  private stopped = false;
  private cancel: (() => void) | undefined;
  private fail: () => void = () => {};

  constructor(
    private readonly timeoutMs: number,
    private readonly setTimer: SetTimer = systemTimer,
  ) {
    this.stalled = new Promise<never>((_, reject) => {
      this.fail = () => reject(stallError(timeoutMs));
    });
    // Nobody may be waiting on it when it fires; that is not an unhandled failure.
    this.stalled.catch(() => {});
  }

  get hasFired(): boolean {
    return this.fired;
  }

  /** Starts the countdown again from now. */
  arm(): void {
    if (this.stopped) return;
    this.cancel?.();
    this.cancel = this.setTimer(() => {
      this.cancel = undefined;
      this.stopped = true;
      this.fired = true;
      this.fail();
    }, this.timeoutMs);
  }

  /** Ends the watch for good: later arm() calls do nothing. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }
}
