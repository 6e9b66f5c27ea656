// One timing rule for the embedder bench, the same in Node and in the browser's worker: embed
// every text, `batch` texts per call, after one small warm-up call, and keep the fastest of the rounds
// (the machine is shared, so the fastest round is the one least disturbed).
import type { Embedder } from '../src/lib/crescent/types';

/** Texts in the warm-up call: enough to run every kernel once, few enough to cost little. */
const WARM_UP = 8;

export async function sentencesPerSecond(
  embedder: Embedder,
  texts: readonly string[],
  batch: number,
  rounds: number,
): Promise<number> {
  await embedder.embed(texts.slice(0, Math.min(batch, WARM_UP)));
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < texts.length; i += batch) await embedder.embed(texts.slice(i, i + batch));
    const seconds = (performance.now() - started) / 1000;
    best = Math.max(best, texts.length / seconds);
  }
  return best;
}
