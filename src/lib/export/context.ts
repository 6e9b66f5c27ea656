// What the `full` format adds to a pair from its run: the recipe id, and from the run's
// proposals whether the question came from the bait or a rewrite and how many were rejected first.
import type { QaPairRecord, QuestionOrigin, QuestionRecord } from '../crescent/types';
import type { PairContext } from './formats';

export type ContextLookup = (pair: QaPairRecord) => PairContext;

interface QuestionFacts {
  origin: QuestionOrigin;
  rejectedBefore: number;
}

/**
 * A lookup built in one pass over the runs' proposals (any order, several runs mixed).
 * `recipeIds` maps a run id to the id of the recipe it used.
 */
export function questionContext(
  questions: Iterable<QuestionRecord>,
  recipeIds: ReadonlyMap<string, string> = new Map(),
): ContextLookup {
  const byRun = new Map<string, QuestionRecord[]>();
  for (const q of questions) {
    const list = byRun.get(q.runId);
    if (list) list.push(q);
    else byRun.set(q.runId, [q]);
  }
  const facts = new Map<string, Map<number, QuestionFacts>>();
  for (const [runId, list] of byRun) {
    list.sort((a, b) => a.seq - b.seq);
    const bySeq = new Map<number, QuestionFacts>();
    let rejected = 0;
    for (const q of list) {
      bySeq.set(q.seq, { origin: q.origin, rejectedBefore: rejected });
      if (q.status === 'rejected') rejected++;
    }
    facts.set(runId, bySeq);
  }
  return (pair) => {
    const known = facts.get(pair.runId)?.get(pair.questionSeq);
    return {
      recipeId: recipeIds.get(pair.runId) ?? null,
      origin: known?.origin ?? null,
      rejectedBefore: known?.rejectedBefore ?? null,
    };
  };
}
