import { describe, expect, it } from 'vitest';
import { runCrescent } from '../src/lib/crescent/run';
import { CrescentError } from '../src/lib/crescent/errors';
import type { ChatEngine } from '../src/lib/crescent/types';
import type { RunProgress } from '../src/lib/crescent/progress';
import { dataset, doubles, testConfig } from './support/runFixture';

describe('runCrescent', () => {
  it('reaches the target with one voted pair per accepted question', async () => {
    const d = doubles();
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const accepted = snap.questions.filter((q) => q.status === 'accepted');

    expect(outcome.stopReason).toBe('target');
    expect(accepted).toHaveLength(8);
    expect(snap.pairs.map((p) => p.questionSeq)).toEqual(accepted.map((q) => q.seq));
    for (const pair of snap.pairs) {
      expect(pair.samples).toBeGreaterThanOrEqual(2);
      expect(pair.samples).toBeLessThanOrEqual(3);
      expect(pair.k).toBe(3);
      expect(pair.question).toBe(accepted.find((q) => q.seq === pair.questionSeq)?.text);
    }
    expect(outcome.progress).toMatchObject({ accepted: 8, pairs: 8, stage: 'idle', etaSeconds: 0 });
    expect(outcome.progress.samples).toBe(snap.samples.length);
  });

  it("passes on the engine's own decode speed when it reports one", async () => {
    const reported = await runCrescent(testConfig(), doubles({ decodeTokensPerSecond: 42 }));
    const silent = await runCrescent(testConfig(), doubles());
    expect(reported.progress.decodeTokensPerSecond).toBeCloseTo(42, 6);
    expect(silent.progress.decodeTokensPerSecond).toBeNull();
  });

  it('keeps the thinking apart and counts its tokens once, inside the generated tokens', async () => {
    const d = doubles();
    const inner = d.engine;
    const thinker: ChatEngine = {
      model: inner.model,
      concurrency: 1,
      async complete(messages, options, signal) {
        const reply = await inner.complete(messages, options, signal);
        const extra = { completionTokens: reply.usage.completionTokens + 10, thinkingTokens: 10 };
        return { ...reply, thinking: 'Let me see.', usage: { ...reply.usage, ...extra } };
      },
    };
    const outcome = await runCrescent(testConfig(), { ...d, engine: thinker });
    const snap = await d.store.load('run-1');
    const generated = [...snap.questions, ...snap.samples].reduce((n, r) => n + r.tokens, 0);

    expect(outcome.progress.tokens).toBe(generated);
    expect(snap.samples.every((s) => s.thinkingTokens === 10 && s.thinking === 'Let me see.')).toBe(
      true,
    );
    expect(snap.pairs.every((p) => !p.answerText.includes('Let me see.'))).toBe(true);
  });

  it('rejects near-duplicates with their nearest question and similarity, then asks for a rewrite', async () => {
    const d = doubles({ topics: 6 });
    const config = testConfig({ targetQuestions: 6 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const tooSimilar = snap.questions.filter((q) => q.reason === 'too-similar');

    expect(tooSimilar.length).toBeGreaterThan(0);
    for (const q of tooSimilar) {
      expect(q.similarity).toBeGreaterThan(config.similarityThreshold);
      const nearest = snap.questions[q.nearestSeq ?? -1];
      expect(nearest?.status).toBe('accepted');
      expect(q.nearestText).toBe(nearest?.text);
    }
    const rewrites = snap.questions.filter((q) => q.origin === 'rewrite');
    expect(rewrites.length).toBeGreaterThan(0);
    for (const r of rewrites) {
      const parent = snap.questions[r.parentSeq ?? -1];
      expect(parent?.status).toBe('rejected');
      expect(r.attempt).toBeGreaterThanOrEqual(1);
      expect(r.attempt).toBeLessThanOrEqual(config.maxRewrites);
    }
    for (const q of snap.questions.filter((q) => q.status === 'accepted')) {
      expect(q.similarity ?? 0).toBeLessThanOrEqual(config.similarityThreshold);
    }
  });

  it('records malformed replies as rejected without a question and keeps going', async () => {
    const d = doubles({ malformedRate: 0.4 });
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const malformed = snap.questions.filter((q) => q.reason === 'no-question');

    expect(outcome.stopReason).toBe('target');
    expect(malformed.length).toBeGreaterThan(0);
    expect(malformed.every((q) => q.text === null && q.embedding === undefined)).toBe(true);
    expect(outcome.progress.malformed).toBe(malformed.length);
  });

  it('stops and says so when the domain is saturated', async () => {
    const d = doubles({ topics: 2 });
    const config = testConfig({ targetQuestions: 50, saturationWindow: 20 });
    const outcome = await runCrescent(config, d);

    expect(outcome.stopReason).toBe('saturated');
    expect(outcome.progress.accepted).toBeLessThan(50);
    expect(outcome.progress.recentAcceptance).toBeLessThan(config.saturationMinAcceptance);
    expect(outcome.progress.pairs).toBe(outcome.progress.accepted);
  });

  it('stops at the proposal budget', async () => {
    const d = doubles();
    const config = testConfig({ targetQuestions: 100, proposalBudget: 5 });
    const outcome = await runCrescent(config, d);
    expect(outcome.stopReason).toBe('budget');
    expect(outcome.progress.proposals).toBe(5);
  });

  it('adaptive voting keeps every winner and draws fewer samples', async () => {
    const full = doubles();
    const adaptive = doubles();
    const config = testConfig({ votes: 5 });
    await runCrescent({ ...config, adaptiveVoting: false }, full);
    const out = await runCrescent(config, adaptive);
    const a = await full.store.load(config.runId);
    const b = await adaptive.store.load(config.runId);

    expect(b.pairs.map((p) => p.answer)).toEqual(a.pairs.map((p) => p.answer));
    expect(b.samples.length).toBeLessThan(a.samples.length);
    expect(out.progress.samplesSaved).toBe(a.samples.length - b.samples.length);
  });

  it('overlaps stages on a concurrent engine and produces the same dataset', async () => {
    const serial = doubles({ latencyMs: 1 });
    const parallel = doubles({ latencyMs: 1, concurrency: 4 });
    const config = testConfig();
    await runCrescent(config, serial);
    const outcome = await runCrescent(config, parallel);

    expect(outcome.stopReason).toBe('target');
    expect(parallel.engine.maxInFlight).toBeGreaterThan(1);
    expect(parallel.engine.maxInFlight).toBeLessThanOrEqual(4);
    expect(dataset(await parallel.store.load(config.runId))).toEqual(
      dataset(await serial.store.load(config.runId)),
    );
  });

  it('records a request the engine refuses and goes on', async () => {
    const d = doubles({
      onCall: ({ call }) => {
        if (call === 2 || call === 5) {
          throw new CrescentError({ code: 'bad-request', message: 'too long', perRequest: true });
        }
      },
    });
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const failed = [
      ...snap.questions.filter((q) => q.reason === 'engine-error'),
      ...snap.samples.filter((s) => s.finishReason === 'error'),
    ];
    expect(outcome.stopReason).toBe('target');
    expect(failed).toHaveLength(2);
  });

  it('stops with the typed error when the engine fails for good, and resumes afterwards', async () => {
    let broken = true;
    const d = doubles({
      onCall: ({ call }) => {
        if (broken && call === 7) {
          throw new CrescentError({ code: 'device-lost', message: 'The GPU was lost.' });
        }
      },
    });
    const config = testConfig();
    const first = await runCrescent(config, d);
    expect(first.stopReason).toBe('error');
    expect(first.error).toMatchObject({ code: 'device-lost', message: 'The GPU was lost.' });
    const kept = await d.store.load(config.runId);
    expect(kept.questions.length + kept.samples.length).toBe(6);

    broken = false;
    const second = await runCrescent(config, d);
    expect(second.stopReason).toBe('target');
    expect(second.progress.pairs).toBe(8);
  });

  it('pauses on abort and keeps what was stored', async () => {
    const controller = new AbortController();
    const d = doubles({ onCall: ({ call }) => call === 10 && controller.abort() });
    const config = testConfig();
    const outcome = await runCrescent(config, d, { signal: controller.signal });
    const snap = await d.store.load(config.runId);
    expect(outcome.stopReason).toBe('paused');
    expect(snap.questions.length + snap.samples.length).toBe(9);
  });

  it('stops with quota-exceeded when the store is full, and counts only what was stored', async () => {
    const d = doubles();
    let writes = 0;
    const add = d.store.addSample.bind(d.store);
    // Full from the 4th sample on, as a disk stays full.
    d.store.addSample = async (record) => {
      if (++writes >= 4) {
        throw new CrescentError({ code: 'quota-exceeded', message: 'Storage is full.' });
      }
      return add(record);
    };
    const outcome = await runCrescent(testConfig(), d);
    expect(outcome.stopReason).toBe('error');
    expect(outcome.error?.code).toBe('quota-exceeded');
    expect(outcome.progress.samples).toBe(3);
    const stored = await d.store.load(testConfig().runId);
    expect(outcome.progress.proposals).toBe(stored.questions.length);
    expect(outcome.progress.pairs).toBe(stored.pairs.length);
  });

  it('asks for the next reply without waiting for the disk, and ends once every write landed', async () => {
    const d = doubles();
    const held: (() => void)[] = [];
    const inner = d.store;
    const hold =
      <T>(write: (record: T) => Promise<void>) =>
      (record: T) =>
        new Promise<void>((resolve) => held.push(() => void write(record).then(resolve)));
    const store = {
      load: (runId: string) => inner.load(runId),
      addQuestion: hold(inner.addQuestion.bind(inner)),
      addSample: hold(inner.addSample.bind(inner)),
      addPair: hold(inner.addPair.bind(inner)),
    };
    let ended = false;
    const running = runCrescent(testConfig(), { ...d, store }).then((outcome) => {
      ended = true;
      return outcome;
    });
    // With no write landed, the run still goes on to the target.
    while (d.engine.requests.length < 20) await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(ended).toBe(false);
    expect((await inner.load(testConfig().runId)).questions).toEqual([]);
    // Released in the order asked, they give what a run that waited for each write gives.
    for (const release of held.splice(0)) release();
    const outcome = await running;
    expect(outcome.stopReason).toBe('target');
    const plain = doubles();
    await runCrescent(testConfig(), plain);
    expect(dataset(await inner.load(testConfig().runId))).toEqual(
      dataset(await plain.store.load(testConfig().runId)),
    );
  });

  it('reports its stage, its pace over this session and the time left at that pace', async () => {
    const config = testConfig({ targetQuestions: 6 });
    const d = doubles();
    const readings: number[] = [];
    const clock = d.clock;
    d.clock = { now: () => readings[readings.push(clock.now()) - 1] ?? NaN };
    const reports: RunProgress[] = [];
    let ticks = 0;
    const outcome = await runCrescent(config, d, {
      onProgress: (p) => reports.push(p),
      // Each reading a millisecond later: the judge's time is one per window judged.
      timer: () => ++ticks,
    });
    expect(reports[0]).toMatchObject({ stage: 'idle', proposals: 0, tokensPerSecond: 0 });
    expect(reports[0]?.etaSeconds).toBeNull();
    const stages = new Set(reports.map((p) => p.stage));
    expect(stages.has('propose')).toBe(true);
    expect(stages.has('answer')).toBe(true);
    // Time left is the pairs still wanted at the pace so far: elapsed = tokens / tokens per second.
    const midway = reports.filter((p) => p.passing > 0 && p.passing < 6 && p.tokens > 0);
    expect(midway.length).toBeGreaterThan(0);
    for (const p of midway) {
      const elapsed = p.tokens / p.tokensPerSecond;
      expect(p.etaSeconds).toBeCloseTo(((6 - p.passing) * elapsed) / p.passing, 6);
    }
    expect(outcome.progress).toMatchObject({ stage: 'idle', etaSeconds: 0, passing: 6 });
    // The last reading is the final report's: seconds from the run's first reading to it.
    const seconds = ((readings.at(-1) ?? NaN) - (readings[0] ?? NaN)) / 1000;
    expect(outcome.progress.tokensPerSecond).toBeCloseTo(outcome.progress.tokens / seconds, 9);
    expect(outcome.judgeMs).toBeGreaterThan(0);
    expect((await runCrescent(config, doubles())).judgeMs).toBe(0);

    // Resumed, the pace counts this session's tokens only.
    const longer = testConfig({ targetQuestions: 9 });
    const resumed: RunProgress[] = [];
    await runCrescent(longer, d, { onProgress: (p) => resumed.push(p) });
    expect(resumed[0]?.tokens).toBe(outcome.progress.tokens);
    expect(resumed[0]?.tokensPerSecond).toBe(0);
    expect(resumed.at(-1)?.tokensPerSecond).toBeGreaterThan(0);
  });

  it('steps aside for the host, so a pause lands even when the engine answers at once', async () => {
    const config = testConfig({ targetQuestions: 40 });
    const run = (yieldToHost?: () => Promise<void>) => {
      let now = 0;
      // Each reading of the clock is a millisecond later.
      const clock = { now: () => now++ };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 0);
      return runCrescent(
        config,
        { ...doubles(), clock },
        { signal: controller.signal, ...(yieldToHost ? { yieldToHost } : {}) },
      );
    };
    let yields = 0;
    const stepping = await run(async () => {
      yields++;
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(yields).toBeGreaterThan(0);
    expect(stepping.stopReason).toBe('paused');
    expect(stepping.progress.passing).toBeLessThan(40);
    // Without it the promises of an instant engine never let the timer fire.
    expect((await run()).stopReason).not.toBe('paused');
  });

  it('in faithful mode accepts a rewrite without checking it again', async () => {
    const d = doubles({ topics: 3 });
    const config = testConfig({ faithful: true, maxRewrites: 1, targetQuestions: 10 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const rewrites = snap.questions.filter((q) => q.origin === 'rewrite');
    expect(rewrites.length).toBeGreaterThan(0);
    expect(rewrites.every((q) => q.status === 'accepted' || q.reason === 'no-question')).toBe(true);
    expect(rewrites.some((q) => (q.similarity ?? 0) > config.similarityThreshold)).toBe(true);
  });
});
