// What the bench page and its pipeline worker share.
import { defaultRecipe } from '../../src/lib/recipe/defaults';
import type { Recipe } from '../../src/lib/recipe/types';

/** The worker announces its first engine request here. */
export const BENCH_CHANNEL = 'crescent-bench';

export const ENGINE_CONCURRENCY = 4;

export interface FirstCall {
  /** Wall-clock time in ms (timeOrigin + now), comparable across the page and the worker. */
  at: number;
  kind: string;
  /** How long this worker took to read its run back (store.load), when it read one. */
  loadMs: number | null;
}

/**
 * k = 3 with adaptive voting. The hashing embedder puts two questions of one template further apart
 * than 0.995 only when they differ in words or numbers, so the threshold rejects repeats, not the
 * template itself; a saturation window longer than any run, and a budget no run comes near.
 */
export function benchRecipe(pairs: number): Recipe {
  return {
    ...defaultRecipe(),
    engine: { kind: 'webllm', model: 'scripted-instant' },
    targetQuestions: pairs,
    votes: 3,
    adaptiveVoting: true,
    similarityThreshold: 0.995,
    saturationWindow: 100_000,
    proposalBudget: 20 * pairs,
  };
}
