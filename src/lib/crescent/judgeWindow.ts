// Judging a window of proposals that are read and embedded, in sequence order, as judging each
// alone in turn would: one search of the accepted set for the whole window, then each proposal
// also against those the window itself accepted before it.
import type { NearestAccepted } from './diversify';
import { proposalRecord, type ReadProposal } from './proposal';
import type { RunState } from './runState';
import type { QuestionRecord } from './types';
import { similarityOf } from './vectorIndex';

/** The records of `reads`, the proposals at the run's next sequence numbers, in that order. */
export function judgeWindow(state: RunState, reads: readonly ReadProposal[]): QuestionRecord[] {
  const { config } = state;
  const vectors = reads.flatMap((read) => (read.embedding ? [read.embedding] : []));
  const before = state.nearestMany(vectors);
  const accepted: { vector: Float32Array; seq: number; text: string }[] = [];
  let next = 0;
  return reads.map((read, i) => {
    const seq = state.questions.length + i;
    let nearest: NearestAccepted | null = null;
    if (read.embedding) {
      nearest = before[next++] ?? null;
      for (const a of accepted) {
        const similarity = similarityOf(a.vector, read.embedding);
        // Strict: among equals the earlier accepted question stays nearest, as in a scan.
        if (nearest === null || similarity > nearest.similarity) {
          nearest = { seq: a.seq, text: a.text, similarity };
        }
      }
    }
    const record = proposalRecord(config, read, seq, nearest);
    if (record.status === 'accepted' && record.text !== null && record.embedding) {
      accepted.push({ vector: record.embedding, seq, text: record.text });
    }
    return record;
  });
}
