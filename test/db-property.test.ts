import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DexieRunStore } from '../src/lib/db/store';
import { freshDb, pair, question, sample } from './db-fixtures';

type Write =
  | { table: 'question'; seq: number }
  | { table: 'sample'; seq: number; index: number }
  | { table: 'pair'; seq: number };

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ table: fc.constant('question' as const), seq: fc.nat(20) }),
  fc.record({ table: fc.constant('sample' as const), seq: fc.nat(20), index: fc.nat(4) }),
  fc.record({ table: fc.constant('pair' as const), seq: fc.nat(20) }),
);

describe('a run written in any order, with any writes replayed', () => {
  it('loads as one row per key, in pipeline order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { maxLength: 40 }),
        fc.array(fc.nat(39)),
        async (writes, replays) => {
          const db = freshDb();
          const store = new DexieRunStore(db);
          const run = async (w: Write) => {
            if (w.table === 'question') await store.addQuestion(question('r', w.seq));
            else if (w.table === 'sample') await store.addSample(sample('r', w.seq, w.index));
            else await store.addPair(pair('r', w.seq));
          };
          for (const [i, w] of writes.entries()) {
            await run(w);
            // A resume re-issues some earlier write.
            const again = writes[replays[i] ?? -1];
            if (again && (replays[i] ?? 0) <= i) await run(again);
          }
          const snap = await store.load('r');
          const unique = <T>(xs: T[]) => [...new Set(xs)];
          const seqs = (table: Write['table']) =>
            unique(writes.filter((w) => w.table === table).map((w) => w.seq)).sort((a, b) => a - b);
          expect(snap.questions.map((q) => q.seq)).toEqual(seqs('question'));
          expect(snap.pairs.map((p) => p.questionSeq)).toEqual(seqs('pair'));
          const sampleKeys = unique(
            writes.flatMap((w) => (w.table === 'sample' ? [w.seq * 10 + w.index] : [])),
          ).sort((a, b) => a - b);
          expect(snap.samples.map((s) => s.questionSeq * 10 + s.index)).toEqual(sampleKeys);
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
