// The core reports progress after every request and every write; the UI needs ~10 updates a second.
// Keeps the latest value and sends it at most once per interval, the last one always.

export class ProgressThrottle<T> {
  #pending: { value: T } | null = null;
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  push(value: T): void {
    this.#pending = { value };
    const wait = this.#lastSent + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, wait);
  }

  /** Sends the value held back, if any, now. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    this.#lastSent = this.now();
    this.send(pending.value);
  }
}
