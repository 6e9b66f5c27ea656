import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../src/lib/crescent/config';
import { createRandom } from '../src/lib/crescent/random';
import { slotSeed } from '../src/lib/crescent/proposal';
import { runCrescent } from '../src/lib/crescent/run';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import type {
  AbortSignalLike,
  AnswerSampleRecord,
  ChatEngine,
  ChatMessage,
  ChatReply,
  QaPairRecord,
  QuestionRecord,
  SamplingOptions,
} from '../src/lib/crescent/types';
import { dataset, doubles, testConfig } from './support/runFixture';

/**
 * The scripted engine behind random delays: replies arrive in any order, as from a server that
 * serves `concurrency` requests at once, while each reply still depends only on its request.
 */
class JitteredEngine implements ChatEngine {
  readonly #random: () => number;

  constructor(
    readonly inner: ChatEngine,
    seed: number,
  ) {
    const rng = createRandom(seed);
    this.#random = () => rng.next();
  }

  get model() {
    return this.inner.model;
  }

  get concurrency() {
    return this.inner.concurrency;
  }

  async complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    const before = Math.floor(this.#random() * 3);
    const after = Math.floor(this.#random() * 3);
    await new Promise((resolve) => setTimeout(resolve, before));
    const reply = await this.inner.complete(messages, options, signal);
    await new Promise((resolve) => setTimeout(resolve, after));
    return reply;
  }
}

const CONCURRENCY = [1, 4, 16, 64] as const;

describe('the dataset at any concurrency', () => {
  it('is the same at 1, 4, 16 and 64 requests in flight, with replies in any order, paused and resumed anywhere', async () => {
    const references = new Map<string, { stopReason: string; data: ReturnType<typeof dataset> }>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 50 }),
          votes: fc.integer({ min: 1, max: 5 }),
          minAgreement: fc.constantFrom(0, 2 / 3, 1),
          faithful: fc.boolean(),
          rewriteDelay: fc.integer({ min: 1, max: 8 }),
        }),
        fc.array(fc.constantFrom(...CONCURRENCY), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        async (settings, sessions, stops, latencySeed) => {
          const config = testConfig({ ...settings, targetQuestions: 5, saturationWindow: 200 });
          const key = JSON.stringify(settings);
          let expected = references.get(key);
          if (!expected) {
            const serial = doubles({ topics: 6 });
            const { stopReason } = await runCrescent(config, serial);
            expected = { stopReason, data: dataset(await serial.store.load(config.runId)) };
            references.set(key, expected);
          }

          // One store across sessions, each session at its own concurrency.
          const shared = doubles();
          const pause = { controller: new AbortController() };
          let calls = 0;
          let outcome;
          for (let session = 0; ; session++) {
            const concurrency = sessions[session % sessions.length] ?? 1;
            const d = doubles({
              topics: 6,
              concurrency,
              onCall: () => {
                if (stops.includes(++calls)) pause.controller.abort();
              },
            });
            const engine = new JitteredEngine(d.engine, latencySeed + session);
            pause.controller = new AbortController();
            outcome = await runCrescent(
              config,
              { ...d, engine, store: shared.store },
              { signal: pause.controller.signal },
            );
            if (outcome.stopReason !== 'paused' || session > 10) break;
          }
          expect(outcome.stopReason).toBe(expected.stopReason);
          expect(dataset(await shared.store.load(config.runId))).toEqual(expected.data);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is the same when the store writes each pair with the sample that settles it', async () => {
    /** A store that writes a settling sample and its pair together, and counts its writes. */
    class PairingStore extends MemoryRunStore {
      pairs = 0;
      settling: [AnswerSampleRecord, QaPairRecord][] = [];
      override async addPair(record: QaPairRecord): Promise<void> {
        this.pairs++;
        await super.addPair(record);
      }
      async addSettlingSample(sample: AnswerSampleRecord, pair: QaPairRecord): Promise<void> {
        this.settling.push([sample, pair]);
        await super.addSample(sample);
        await super.addPair(pair);
      }
    }
    for (const votes of [1, 3, 5]) {
      for (const minAgreement of [0, 2 / 3]) {
        const config = testConfig({
          votes,
          minAgreement,
          targetQuestions: 6,
          saturationWindow: 200,
        });
        const plain = doubles({ topics: 6 });
        await runCrescent(config, plain);
        const expected = dataset(await plain.store.load(config.runId));
        for (const concurrency of [1, 16]) {
          const store = new PairingStore();
          const d = doubles({ topics: 6, concurrency });
          await runCrescent(config, { ...d, engine: new JitteredEngine(d.engine, votes), store });
          const stored = await store.load(config.runId);
          expect(dataset(stored)).toEqual(expected);
          // Every pair went with the sample that settled it, none on its own.
          expect(store.pairs).toBe(0);
          expect(store.settling).toHaveLength(stored.pairs.length);
          for (const [sample, pair] of store.settling) {
            expect(sample.questionSeq).toBe(pair.questionSeq);
            expect(sample.index).toBeLessThan(pair.samples);
          }
        }
      }
    }
  });

  it('keeps at most `concurrency` requests in flight and uses them', async () => {
    for (const concurrency of [4, 16]) {
      const d = doubles({ concurrency, latencyMs: 2 });
      await runCrescent(testConfig({ targetQuestions: 30, saturationWindow: 200 }), d);
      expect(d.engine.maxInFlight).toBe(concurrency);
    }
  });
});

describe('rewrites', () => {
  /** The record that owed rewrite `r`: the rejected question, or a rewrite that held none. */
  function owner(questions: readonly QuestionRecord[], r: QuestionRecord, delay: number) {
    const at = questions[r.seq - delay];
    if (!at) return undefined;
    if (at.seq === r.parentSeq && r.attempt === at.attempt + 1) return at;
    if (at.origin === 'rewrite' && at.parentSeq === r.parentSeq && r.attempt === at.attempt + 1) {
      return at;
    }
    return undefined;
  }

  it('are judged `rewriteDelay` proposals after the record that calls for them', async () => {
    for (const rewriteDelay of [1, 3, 7]) {
      const d = doubles({ topics: 4, malformedRate: 0.2 });
      const config = testConfig({ targetQuestions: 12, rewriteDelay, saturationWindow: 200 });
      await runCrescent(config, d);
      const { questions } = await d.store.load(config.runId);
      const rewrites = questions.filter((q) => q.origin === 'rewrite');
      expect(rewrites.length).toBeGreaterThan(3);
      for (const r of rewrites) expect(owner(questions, r, rewriteDelay)).toBeDefined();
      // Meanwhile bait proposals went on: the verdict of a bait never waits on a rewrite.
      if (rewriteDelay > 1) {
        const baitsBetween = rewrites.map((r) =>
          questions.slice(r.seq - rewriteDelay + 1, r.seq).some((q) => q.origin === 'bait'),
        );
        expect(baitsBetween.some(Boolean)).toBe(true);
      }
    }
  });

  it('are never asked twice when a run stored one right after its question resumes with a delay', async () => {
    const d = doubles({ topics: 4 });
    const first: RunConfig = testConfig({ targetQuestions: 6, rewriteDelay: 1 });
    await runCrescent(first, d);
    const before = await d.store.load(first.runId);
    expect(before.questions.some((q) => q.origin === 'rewrite')).toBe(true);

    await runCrescent({ ...first, targetQuestions: 12, rewriteDelay: 5 }, d);
    const after = await d.store.load(first.runId);
    const keys = after.questions
      .filter((q) => q.origin === 'rewrite')
      .map((q) => `${q.parentSeq}.${q.attempt}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(after.questions.slice(0, before.questions.length)).toEqual(before.questions);
  });

  it('called for by the last proposals of a run are not asked once the target is met', async () => {
    const d = doubles({ topics: 4 });
    const config = testConfig({ targetQuestions: 8, rewriteDelay: 50, saturationWindow: 200 });
    await runCrescent(config, d);
    const { questions } = await d.store.load(config.runId);
    expect(questions.some((q) => q.reason === 'too-similar')).toBe(true);
    expect(questions.length).toBeLessThan(50);
    expect(questions.every((q) => q.origin === 'bait')).toBe(true);
    expect(d.engine.requests.filter((r) => r.kind === 'rewrite')).toHaveLength(0);
  });
});

describe('what a run asks the engine for', () => {
  /** The bait numbers of the bait requests the engine got, in the order asked. */
  function baitNumbersAsked(d: ReturnType<typeof doubles>, config: RunConfig): number[] {
    const bySeed = new Map<number, number>();
    for (let n = 0; n < 1_000; n++) bySeed.set(slotSeed(config.seed, { kind: 'bait', bait: n }), n);
    return d.engine.requests
      .filter((r) => r.kind === 'bait')
      .map((r) => bySeed.get(r.seed ?? NaN) ?? NaN);
  }

  it('asks bait requests ahead past the known positions, each once and in order, and wastes at most a round of them', async () => {
    // A rewrite delay of 1 fixes one position ahead; the other three requests in flight are bait
    // asked on the chance that no rewrite falls there.
    const concurrency = 4;
    const d = doubles({ concurrency, topics: 4, latencyMs: 1 });
    const config = testConfig({ targetQuestions: 16, rewriteDelay: 1, saturationWindow: 200 });
    await runCrescent(config, d);
    const { questions } = await d.store.load(config.runId);
    const asked = baitNumbersAsked(d, config);
    expect(questions.some((q) => q.origin === 'rewrite')).toBe(true);
    expect(d.engine.maxInFlight).toBe(concurrency);
    expect(asked).toEqual(asked.map((_, i) => i));
    const stored = questions.filter((q) => q.origin === 'bait').length;
    expect(asked.length - stored).toBeGreaterThanOrEqual(0);
    expect(asked.length - stored).toBeLessThanOrEqual(concurrency);
    // Nothing else is asked ahead: every rewrite asked is one a stored record owed.
    const rewritesAsked = d.engine.requests.filter((r) => r.kind === 'rewrite').length;
    const rewritesStored = questions.filter((q) => q.origin === 'rewrite').length;
    expect(rewritesAsked - rewritesStored).toBeGreaterThanOrEqual(0);
    expect(rewritesAsked - rewritesStored).toBeLessThanOrEqual(concurrency);
  });

  it('asks no more bait than it stores when every proposal is kept', async () => {
    // Nothing rejected and no failures: each request ahead is one the target still needs.
    const d = doubles({ concurrency: 16, malformedRate: 0, latencyMs: 1 });
    const config = testConfig({
      targetQuestions: 6,
      maxRewrites: 0,
      similarityThreshold: 0.9999,
      saturationWindow: 200,
    });
    await runCrescent(config, d);
    const { questions, pairs } = await d.store.load(config.runId);
    expect(questions.every((q) => q.status === 'accepted')).toBe(true);
    expect(pairs).toHaveLength(6);
    expect(baitNumbersAsked(d, config)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('never asks more proposals than its budget', async () => {
    const d = doubles({ concurrency: 16, topics: 1, latencyMs: 1 });
    const config = testConfig({
      targetQuestions: 50,
      proposalBudget: 5,
      maxRewrites: 0,
      saturationWindow: 200,
    });
    const outcome = await runCrescent(config, d);
    expect(outcome.stopReason).toBe('budget');
    expect(baitNumbersAsked(d, config)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports rewriting only while a rewrite is next, and proposing and answering otherwise', async () => {
    const stagesOf = async (overrides: Partial<RunConfig>) => {
      const d = doubles({ topics: 4 });
      const stages = new Set<string>();
      const config = testConfig({ targetQuestions: 10, saturationWindow: 200, ...overrides });
      await runCrescent(config, d, { onProgress: (p) => stages.add(p.stage) });
      const { questions } = await d.store.load(config.runId);
      return { stages, rewrites: questions.filter((q) => q.origin === 'rewrite').length };
    };
    const withRewrites = await stagesOf({ rewriteDelay: 1 });
    expect(withRewrites.rewrites).toBeGreaterThan(0);
    expect([...withRewrites.stages].sort()).toEqual(['answer', 'idle', 'propose', 'rewrite']);
    const without = await stagesOf({ maxRewrites: 0 });
    expect(without.rewrites).toBe(0);
    expect([...without.stages].sort()).toEqual(['answer', 'idle', 'propose']);
  });
});
