// The run's wiring, checked against what each stage must send and store: these fail when a
// line of the orchestration is broken even though the run still "works".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { voteSummary } from '../src/lib/crescent/agreement';
import { PAPER_REWRITE_TEMPLATE, answerPrompt, rewritePrompt } from '../src/lib/crescent/prompts';
import { deriveSeed } from '../src/lib/crescent/random';
import { runCrescent } from '../src/lib/crescent/run';
import type { RunSnapshot } from '../src/lib/crescent/types';
import { dataset, doubles, testConfig } from './support/runFixture';

const key = (r: { prompt: string; seed: number | undefined }) => `${r.seed}\u0000${r.prompt}`;

describe('what a run sends and stores', () => {
  it('answers accepted questions only, each once, with the question it accepted', async () => {
    const d = doubles({ topics: 5, malformedRate: 0.3 });
    const config = testConfig({ targetQuestions: 10 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const accepted = new Set(
      snap.questions.filter((q) => q.status === 'accepted').map((q) => q.seq),
    );

    expect(snap.questions.some((q) => q.status === 'rejected')).toBe(true);
    expect(snap.pairs.map((p) => p.questionSeq).sort((a, b) => a - b)).toEqual([...accepted]);
    expect(snap.samples.every((s) => accepted.has(s.questionSeq))).toBe(true);
    const answered = d.engine.requests.filter((r) => r.kind === 'answer').map((r) => r.prompt);
    const allowed = new Set(
      snap.pairs.map((p) => answerPrompt(p.question, config.domain.answerSuffix)),
    );
    expect(answered.every((prompt) => allowed.has(prompt))).toBe(true);
  });

  it('seeds every request from its place in the run: sample index and question both count', async () => {
    const d = doubles();
    const config = testConfig({ votes: 5 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const seeds = d.engine.requests.map((r) => r.seed);

    let baits = 0;
    const expected = [
      ...snap.questions.map((q) =>
        q.origin === 'bait'
          ? deriveSeed(config.seed, 'bait', baits++)
          : deriveSeed(config.seed, 'rewrite', q.parentSeq ?? -1, q.attempt),
      ),
      ...snap.samples.map((s) => deriveSeed(config.seed, 'answer', s.questionSeq, s.index)),
    ];
    expect([...seeds].sort()).toEqual(expected.sort());
    expect(new Set(seeds).size).toBe(seeds.length);
    // Samples of one question differ: k identical samples would vote unanimously on anything.
    for (const pair of snap.pairs) {
      const raws = snap.samples.filter((s) => s.questionSeq === pair.questionSeq).map((s) => s.raw);
      if (raws.length >= 3) expect(new Set(raws).size).toBeGreaterThan(1);
    }
  });

  it('asks to rewrite the rejected question against its nearest neighbour, in that order', async () => {
    const d = doubles({ topics: 4 });
    const config = testConfig({ targetQuestions: 8 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const rewrites = snap.questions.filter((q) => q.origin === 'rewrite');
    const sent = new Map(d.engine.requests.map((r) => [r.seed, r.prompt]));

    expect(rewrites.length).toBeGreaterThan(0);
    for (const r of rewrites) {
      const parent = snap.questions[r.parentSeq ?? -1];
      const prompt = sent.get(deriveSeed(config.seed, 'rewrite', r.parentSeq ?? -1, r.attempt));
      expect(parent?.reason).toBe('too-similar');
      expect(prompt).toBe(
        rewritePrompt(PAPER_REWRITE_TEMPLATE, parent?.text ?? '', parent?.nearestText ?? ''),
      );
      expect(prompt?.indexOf(parent?.text ?? '')).toBeLessThan(
        prompt?.indexOf(`similar to this question: ${parent?.nearestText ?? ''}`) ?? -1,
      );
    }
  });

  it('sends each request once at any concurrency; the only extra ones are proposals asked ahead', async () => {
    const config = testConfig({ targetQuestions: 12, votes: 5 });
    const serial = doubles();
    await runCrescent(config, serial);
    const serialKeys = new Set(serial.engine.requests.map(key));
    for (const concurrency of [2, 4, 8]) {
      const d = doubles({ concurrency, latencyMs: 1 });
      await runCrescent(config, d);
      const keys = d.engine.requests.map(key);
      expect(new Set(keys).size).toBe(keys.length);
      // Every request of the one-at-a-time run is sent; what else is sent is speculation.
      expect(keys.filter((k) => serialKeys.has(k))).toHaveLength(serialKeys.size);
      const extra = d.engine.requests.filter((r) => !serialKeys.has(key(r)));
      expect(extra.every((r) => r.kind !== 'answer')).toBe(true);
      expect(extra.length).toBeLessThan(concurrency);
      expect(dataset(await d.store.load(config.runId))).toEqual(
        dataset(await serial.store.load(config.runId)),
      );
    }
  });

  it('resumes without drawing a stored sample or proposal again', async () => {
    const config = testConfig({ targetQuestions: 6, votes: 5 });
    const whole = doubles();
    await runCrescent(config, whole);
    for (const stopAt of [3, 7, 12, 20]) {
      const controller = new AbortController();
      const d = doubles({ onCall: ({ call }) => call === stopAt && controller.abort() });
      expect((await runCrescent(config, d, { signal: controller.signal })).stopReason).toBe(
        'paused',
      );
      expect((await runCrescent(config, d)).stopReason).toBe('target');
      // One request was cut by the pause and asked again; nothing else twice.
      expect(d.engine.calls).toBe(whole.engine.calls + 1);
      const keys = d.engine.requests.map(key);
      expect(new Set(keys).size).toBe(keys.length - 1);
    }
  });

  it('reports agreement over all k samples, and only when all k were drawn', async () => {
    const d = doubles({ correctRate: 0.5 });
    const config = testConfig({ votes: 5, targetQuestions: 12 });
    await runCrescent(config, d);
    const { pairs } = await d.store.load(config.runId);
    expect(pairs.some((p) => p.samples < p.k)).toBe(true);
    expect(pairs.some((p) => p.samples === p.k)).toBe(true);
    for (const p of pairs) {
      const winnerVotes = p.answer === null ? 0 : (p.votes[p.answer] ?? 0);
      expect(p.agreement).toBe(p.samples === p.k ? winnerVotes / p.k : null);
    }
  });
});

/** Pairs reduced to what the full vote decides: pass or fail, and the winner of a pass. */
function outcomes(snapshot: RunSnapshot) {
  return snapshot.pairs.map((p) => [p.questionSeq, p.passes, p.passes ? p.answer : null]);
}

describe('adaptive voting', () => {
  it('gives the same pairs the same outcome and winner as drawing all k, at any bar', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(0, 0.5, 2 / 3, 0.8, 1),
        fc.boolean(),
        async (seed, votes, minAgreement, faithful) => {
          const config = testConfig({ seed, votes, minAgreement, faithful, targetQuestions: 6 });
          const full = doubles({ correctRate: 0.55, unreadableRate: 0.15 });
          const adaptive = doubles({ correctRate: 0.55, unreadableRate: 0.15 });
          await runCrescent({ ...config, adaptiveVoting: false }, full);
          const out = await runCrescent(config, adaptive);
          const a = await full.store.load(config.runId);
          const b = await adaptive.store.load(config.runId);

          expect(outcomes(b)).toEqual(outcomes(a));
          expect(b.samples.length).toBeLessThanOrEqual(a.samples.length);
          expect(out.progress.samplesSaved).toBe(a.samples.length - b.samples.length);
          // What a stopped vote claims holds for the full vote it stands for.
          for (const [i, p] of b.pairs.entries()) {
            const s = voteSummary(p);
            const whole = a.pairs[i];
            const wholeSummary = whole && voteSummary(whole);
            if (!s || !wholeSummary) throw new Error('a pair without votes');
            const wholeVotes = wholeSummary.winnerVotes;
            if (p.passes) expect(wholeVotes).toBeGreaterThanOrEqual(s.low);
            if (p.passes) expect(wholeVotes).toBeLessThanOrEqual(s.high);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('goes on until the target counts pairs that pass the bar, the same at any concurrency', async () => {
    const config = testConfig({
      votes: 3,
      minAgreement: 1,
      targetQuestions: 8,
      saturationWindow: 500,
    });
    const serial = doubles({ correctRate: 0.7 });
    const outcome = await runCrescent(config, serial);
    const snap = await serial.store.load(config.runId);
    expect(outcome.stopReason).toBe('target');
    expect(snap.pairs.filter((p) => p.passes)).toHaveLength(8);
    expect(snap.pairs.length).toBeGreaterThan(8);
    // The last accepted question is the one that made the target: none proposed past it.
    const lastAccepted = snap.questions.filter((q) => q.status === 'accepted').at(-1);
    expect(snap.questions.at(-1)).toBe(lastAccepted);
    expect(snap.pairs.find((p) => p.questionSeq === lastAccepted?.seq)?.passes).toBe(true);
    for (const concurrency of [3, 8]) {
      const d = doubles({ correctRate: 0.7, concurrency, latencyMs: 1 });
      await runCrescent(config, d);
      expect(dataset(await d.store.load(config.runId))).toEqual(dataset(snap));
      // Proposals asked ahead are the only extra ones, fewer than the requests in flight.
      expect(d.engine.calls).toBeGreaterThanOrEqual(serial.engine.calls);
      expect(d.engine.calls - serial.engine.calls).toBeLessThan(concurrency);
    }
  });

  it('reaches a unanimous bar: every passing pair of k = 3 has three agreeing samples', async () => {
    const d = doubles({ correctRate: 0.8, unreadableRate: 0 });
    const config = testConfig({ votes: 3, minAgreement: 1, targetQuestions: 10 });
    const outcome = await runCrescent(config, d);
    const { pairs } = await d.store.load(config.runId);
    const passing = pairs.filter((p) => p.passes);
    expect(passing.length).toBeGreaterThan(0);
    expect(passing.length).toBeLessThan(pairs.length);
    expect(passing.every((p) => p.answer !== null && p.votes[p.answer] === 3)).toBe(true);
    expect(passing.every((p) => p.agreement === 1)).toBe(true);
    expect(outcome.progress.passing).toBe(passing.length);
    // A pair fails as soon as two samples differ.
    expect(pairs.filter((p) => !p.passes).some((p) => p.samples === 2)).toBe(true);
  });
});
