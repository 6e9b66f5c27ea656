// Requests that keep failing stop the run: a server that refuses every question request must
// end as a failed run with its reason, not as "saturated" or with every answer empty.
import { CrescentError } from './errors';
import type { RequestFailure } from './types';

export type RequestKind = 'question' | 'answer';

/** Counts failures in a row per kind of request, in this session only (a resume starts afresh). */
export class FailureStreak {
  readonly #streaks: Record<RequestKind, number> = { question: 0, answer: 0 };

  constructor(readonly limit: number) {}

  /** Call after each request's record is stored; throws once `limit` failed in a row. */
  note(kind: RequestKind, failure: RequestFailure | undefined): void {
    if (!failure) {
      this.#streaks[kind] = 0;
      return;
    }
    const streak = ++this.#streaks[kind];
    if (this.limit > 0 && streak >= this.limit) {
      throw new CrescentError({
        code: failure.code,
        message: `The last ${streak} ${kind} requests failed. The last one: ${failure.message}`,
        action: failure.action ?? 'Fix what the message names, then resume the run.',
      });
    }
  }
}
