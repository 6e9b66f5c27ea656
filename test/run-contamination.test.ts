// Decontamination inside a run: a proposal that leaks a benchmark question is rejected as
// contaminated, with the question and the rule kept, and rewritten away from that question.
import { describe, expect, it } from 'vitest';
import { BenchmarkNgrams, type LoadedBenchmark } from '../src/lib/crescent/contamination';
import { runCrescent } from '../src/lib/crescent/run';
import type { ChatReply } from '../src/lib/crescent/types';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { doubles, testConfig } from './support/runFixture';

const LEAKED =
  'A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total does it take?';
const RENUMBERED = LEAKED.replace('2 bolts', '7 bolts');
const PARAPHRASE = 'How many bolts of fiber does a robe need if it uses two blue and one white?';

async function benchmark(questions: string[]): Promise<LoadedBenchmark> {
  const vectors = await new HashingEmbedder(64).embed(questions);
  return {
    name: 'gsm8k-test',
    questions,
    ngrams: new BenchmarkNgrams(questions, 8),
    vectors: VectorIndex.fromVectors(64, vectors),
  };
}

/** The first bait replies are the given texts, then the scripted model's own questions. */
function baitsFirst(texts: string[]) {
  let baits = 0;
  return (reply: ChatReply, { kind }: { kind: string }): ChatReply => {
    if (kind !== 'bait') return reply;
    const text = texts[baits++];
    return text === undefined ? reply : { ...reply, text: `Problem: ${text}` };
  };
}

describe('a run with benchmarks to keep away from', () => {
  it('rejects a verbatim copy and a renumbered one, and rewrites each away from the benchmark question', async () => {
    const d = doubles({ alter: baitsFirst([LEAKED, RENUMBERED]) });
    const config = testConfig({ targetQuestions: 3 });
    await runCrescent(config, { ...d, benchmarks: [await benchmark(['Unrelated one?', LEAKED])] });
    const { questions } = await d.store.load(config.runId);

    const [first, second] = questions.filter((q) => q.origin === 'bait');
    expect(first).toMatchObject({
      text: LEAKED,
      status: 'rejected',
      reason: 'contaminated',
      contamination: { benchmark: 'gsm8k-test', index: 1, question: LEAKED, by: 'ngram' },
    });
    expect(first?.contamination?.similarity).toBeCloseTo(1, 5);
    expect(questions.filter((q) => q.reason === 'contaminated').map((q) => q.text)).toContain(
      RENUMBERED,
    );
    // The rewrite prompt names the benchmark question as what to move away from.
    const rewriteOfFirst = questions.find((q) => q.parentSeq === first?.seq);
    expect(rewriteOfFirst?.origin).toBe('rewrite');
    const rewritePrompts = d.engine.requests
      .filter((r) => r.kind === 'rewrite')
      .map((r) => r.prompt);
    expect(rewritePrompts[0]).toContain(LEAKED);
    expect(second).toBeDefined();
    // Nothing contaminated became a pair.
    const pairs = (await d.store.load(config.runId)).pairs.map((p) => p.question);
    expect(pairs).not.toContain(LEAKED);
    expect(pairs).not.toContain(RENUMBERED);
  });

  it('rejects by embedding only above the rule’s similarity', async () => {
    const bench = await benchmark([LEAKED]);
    const [leakVec] = await new HashingEmbedder(64).embed([PARAPHRASE]);
    const sim = bench.vectors?.nearest(leakVec ?? new Float32Array(64))?.similarity ?? 0;
    const run = async (similarity: number) => {
      const d = doubles({ alter: baitsFirst([PARAPHRASE]) });
      const config = testConfig({ targetQuestions: 1, decontamination: { ngram: 8, similarity } });
      await runCrescent(config, { ...d, benchmarks: [bench] });
      return (await d.store.load(config.runId)).questions[0];
    };
    expect(await run(sim - 1e-3)).toMatchObject({
      reason: 'contaminated',
      contamination: { by: 'embedding', index: 0 },
    });
    expect((await run(sim + 1e-3))?.status).toBe('accepted');
  });

  it('without benchmarks, or in faithful mode with them, behaves as the rule says', async () => {
    const plain = doubles({ alter: baitsFirst([LEAKED]) });
    await runCrescent(testConfig({ targetQuestions: 1 }), plain);
    expect((await plain.store.load('run-1')).questions[0]?.status).toBe('accepted');

    const faithful = doubles({ alter: baitsFirst([LEAKED]) });
    await runCrescent(testConfig({ targetQuestions: 1, faithful: true }), {
      ...faithful,
      benchmarks: [await benchmark([LEAKED])],
    });
    expect((await faithful.store.load('run-1')).questions[0]?.reason).toBe('contaminated');
  });
});
